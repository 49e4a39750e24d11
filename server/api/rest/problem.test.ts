import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors';
import { problemFromError } from './problem';

const where = { ifMatch: false, where: 'GET /test' };

describe('problemFromError', () => {
  it('maps an AppError a handler route throws directly, as tRPC would have', () => {
    expect(problemFromError(new AppError('CONFLICT', 'Rollout "x" is not waiting for an approval.'), where)).toMatchObject({ status: 409, detail: 'Rollout "x" is not waiting for an approval.' });
    expect(problemFromError(new AppError('NOT_FOUND', 'Run r does not exist.'), where)).toMatchObject({ status: 404 });
    expect(problemFromError(new AppError('BAD_REQUEST', 'Check the fields.', { reason: ['Say why.'] }), where)).toMatchObject({ status: 422, errors: { reason: ['Say why.'] } });
    expect(problemFromError(new AppError('CONFLICT', 'stale', undefined, { currentVersion: 7 }), { ...where, ifMatch: true })).toMatchObject({ status: 412, currentVersion: 7 });
  });

  it('anything else is a 500 with an error id and no internals', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const p = problemFromError(new Error('relation "Rollout" does not exist at character 15'), where);
    log.mockRestore();
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toMatch(/relation|character/);
    expect(p.errorId).toMatch(/^[0-9a-f]{12}$/);
  });
});
