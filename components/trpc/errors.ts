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

/** The id under which the server logged an unexpected failure (12 hex digits), if it sent one. */
export function errorIdOf(error: unknown): string | null {
  const id = dataOf(error)?.errorId;
  return typeof id === 'string' && /^[0-9a-f]{6,32}$/.test(id) ? id : null;
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
  // Unexpected server failures: the server logged the details under an error id; the id is what
  // an operator needs to find them, so it is said (the message itself is never shown raw).
  if (errorCode(error) === 'INTERNAL_SERVER_ERROR' || !message || message.length > 400 || message.trimStart().startsWith('[')) {
    const id = errorIdOf(error);
    return `Something went wrong on the server${id ? ` (error id ${id})` : ''}. Try again; if it keeps failing, look for that id in the server log.`;
  }
  return message;
}
