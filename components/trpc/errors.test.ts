import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

const serverError = (code: string, message: string, errorId: string | null = null) => Object.assign(new Error(message), { data: { code, errorId } });

describe('errorMessage', () => {
  it('says the error id of an unexpected failure, never its raw message', () => {
    const msg = errorMessage(serverError('INTERNAL_SERVER_ERROR', 'relation "x" does not exist', '7f3a09c1b2d4'));
    expect(msg).toContain('error id 7f3a09c1b2d4');
    expect(msg).not.toContain('relation');
  });

  it('ignores an error id that is not one of ours', () => {
    expect(errorMessage(serverError('INTERNAL_SERVER_ERROR', 'x', '<script>'))).not.toContain('<script>');
  });

  it('keeps a message the server meant for people', () => {
    expect(errorMessage(serverError('CONFLICT', 'Changed by alice — now version 11.'))).toBe('Changed by alice — now version 11.');
  });
});
