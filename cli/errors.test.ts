import { describe, expect, it } from 'vitest';
import { apiError, problemOf, renderError } from './errors';
import { exitForStatus } from './exit-codes';

describe('exit codes', () => {
  it('maps each HTTP status class to the documented code', () => {
    const table = Object.fromEntries([400, 401, 403, 404, 409, 412, 422, 428, 429, 500, 502, 503].map((s) => [s, exitForStatus(s)]));
    expect(table).toEqual({ 400: 1, 401: 2, 403: 2, 404: 4, 409: 3, 412: 3, 422: 1, 428: 3, 429: 5, 500: 5, 502: 5, 503: 5 });
  });
});

describe('problem+json in words', () => {
  it('prints the detail, each field error and the current version, never the raw document', () => {
    const err = apiError(412, {
      type: 'https://switchback.dev/problems/stale',
      title: 'Changed meanwhile',
      status: 412,
      detail: 'Someone else changed this rollout',
      currentVersion: 7,
    });
    expect(err.exitCode).toBe(3);
    expect(renderError(err)).toBe(
      'switchback: Changed meanwhile: Someone else changed this rollout (HTTP 412)\n  The current version is 7: read it again, then retry with that version.\n',
    );
  });

  it('lists field errors under the message', () => {
    const err = apiError(422, { title: 'Invalid input', status: 422, errors: { 'spec.steps.0.weight': ['Weight: 1 to 100'], reason: ['Give a reason'] } });
    expect(err.exitCode).toBe(1);
    expect(renderError(err)).toBe('switchback: Invalid input (HTTP 422)\n  spec.steps.0.weight: Weight: 1 to 100\n  reason: Give a reason\n');
  });

  it('says 401 and 403 in words with what to do', () => {
    expect(renderError(apiError(401, ''))).toMatch(/token is missing, wrong, expired or revoked \(HTTP 401\)\n {2}Log in again/);
    const forbidden = apiError(403, { title: 'Forbidden', status: 403, detail: 'Operators and admins may engage the halt' });
    expect(forbidden.exitCode).toBe(2);
    expect(forbidden.message).toBe('Forbidden: Operators and admins may engage the halt (HTTP 403)');
  });

  it('reads only the fields it knows, of the right types, and cleans control characters', () => {
    expect(problemOf({ title: 3, errors: { a: 'one', b: [1, 'two'] }, currentVersion: '9' })).toEqual({ errors: { a: ['one'], b: ['two'] } });
    expect(apiError(500, { detail: 'boom\u001b[2J' }).message).toBe('boom [2J (HTTP 500)');
  });
});
