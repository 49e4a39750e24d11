// Reads the shape our server's errorFormatter puts on tRPC errors (server/api/trpc.ts):
// `data.code`, `data.fieldErrors` ({ field: string[] } or null) and `data.details`.
// Kept structural (unknown in, narrow out) so it works for any procedure's error type.

export type FieldErrors = Record<string, string[]>;

function dataOf(error: unknown): Record<string, unknown> | null {
  if (!error || typeof error !== 'object' || !('data' in error)) return null;
  const data = error.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
}

export function errorCode(error: unknown): string | null {
  const code = dataOf(error)?.code;
  return typeof code === 'string' ? code : null;
}

export function fieldErrorsOf(error: unknown): FieldErrors {
  const raw = dataOf(error)?.fieldErrors;
  if (!raw || typeof raw !== 'object') return {};
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(raw)) {
    if (Array.isArray(messages)) out[field] = messages.filter((m): m is string => typeof m === 'string');
  }
  return out;
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED';
}

/** A sentence a person can act on; never a stack trace or a raw JSON dump. */
export function errorMessage(error: unknown): string {
  if (!error) return '';
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // fetch() failures carry browser wording ("Failed to fetch", "NetworkError…", "Load failed").
  if (!dataOf(error) && /fetch|network|load failed/i.test(message)) {
    return 'Cannot reach the Switchback server. Check your connection; the page retries by itself.';
  }
  // Unexpected server failures carry internals (SQL, hosts); the details belong in the server log.
  if (errorCode(error) === 'INTERNAL_SERVER_ERROR' || !message || message.length > 400 || message.trimStart().startsWith('[')) {
    return 'Something went wrong on the server. Try again; if it keeps failing, check the server log.';
  }
  return message;
}
