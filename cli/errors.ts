// Expected failures end the command with words and an exit code, never a stack trace: a CliError
// carries both, and renderProblem turns the API's application/problem+json into sentences.
import { clean } from './table';
import { EXIT, exitForStatus, type ExitCode } from './exit-codes';

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** Further lines (field errors, a hint), printed indented under the message. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export const usageError = (message: string, details: readonly string[] = []) => new CliError(EXIT.usage, message, details);

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  currentVersion?: number;
}

/** The problem document when the body is one (tolerant: anything else yields an empty problem). */
export function problemOf(body: unknown): Problem {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
    for (const [field, msgs] of Object.entries(b.errors as Record<string, unknown>)) {
      const list = Array.isArray(msgs) ? msgs.filter((m): m is string => typeof m === 'string') : typeof msgs === 'string' ? [msgs] : [];
      if (list.length > 0) errors[field] = list;
    }
  }
  return {
    type: typeof b.type === 'string' ? b.type : undefined,
    title: typeof b.title === 'string' ? b.title : undefined,
    status: typeof b.status === 'number' ? b.status : undefined,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    errors: Object.keys(errors).length > 0 ? errors : undefined,
    currentVersion: typeof b.currentVersion === 'number' ? b.currentVersion : undefined,
  };
}

const STATUS_WORDS: Record<number, string> = {
  400: 'The request was not understood',
  401: 'Not signed in: the token is missing, wrong, expired or revoked',
  403: 'Not allowed: your token\'s role may not do this',
  404: 'Not found',
  409: 'Conflict',
  412: 'Changed meanwhile',
  422: 'Invalid input',
  428: 'A version is required',
  429: 'Too many requests',
  503: 'The server is unavailable',
};

/** An API failure as a CliError: the detail (or title) in words, field errors and the current version under it. */
export function apiError(status: number, body: unknown): CliError {
  const p = problemOf(body);
  const head = clean(p.detail ?? p.title ?? STATUS_WORDS[status] ?? `The server answered ${status}`, 500);
  const title = p.title && p.detail && p.title !== p.detail ? `${clean(p.title, 200)}: ` : '';
  const details: string[] = [];
  for (const [field, msgs] of Object.entries(p.errors ?? {}).slice(0, 50)) {
    for (const m of msgs.slice(0, 10)) details.push(`${clean(field, 100) || 'input'}: ${clean(m, 500)}`);
  }
  if (p.currentVersion !== undefined) details.push(`The current version is ${p.currentVersion}: read it again, then retry with that version.`);
  if (status === 401) details.push('Log in again: switchback login URL --token TOKEN (or set SWITCHBACK_TOKEN).');
  return new CliError(exitForStatus(status), `${title}${head} (HTTP ${status})`, details);
}

/** How a CliError is printed on stderr. */
export function renderError(err: CliError): string {
  return [`switchback: ${err.message}`, ...err.details.map((d) => `  ${d}`)].join('\n') + '\n';
}
