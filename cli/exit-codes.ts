// Exit codes a pipeline can rely on (documented in `switchback --help` and the README). One table,
// so an HTTP status always means the same exit code whatever command met it.
export const EXIT = {
  ok: 0,
  /** Wrong arguments, an unreadable or invalid file, or input the API refused (400/422). */
  usage: 1,
  /** No or bad token (401), or the token's role may not do this (403). */
  auth: 2,
  /** The outcome is a failure: rolled back or aborted, or the request lost a race (409/412/428). */
  failed: 3,
  /** The rollout, run, experiment or policy does not exist (404). */
  notFound: 4,
  /** The server failed (5xx, 429) or could not be reached. */
  server: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404 || status === 410) return EXIT.notFound;
  if (status === 409 || status === 412 || status === 428) return EXIT.failed;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.usage;
  return EXIT.server;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  done (for "rollouts watch": the rollout succeeded, or waits for approval with --until-approval)
  1  usage: unknown command or flag, a missing argument, an invalid file, or input the API refused (400, 422)
  2  authentication or permission: no or bad token (401), the token's role may not do this (403)
  3  failed outcome: the rollout rolled back or was aborted, or a conflict (409) or stale version (412, 428)
  4  not found (404)
  5  server error (5xx, 429) or the server could not be reached`;
