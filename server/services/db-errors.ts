// A unique violation is a race between two people creating (or renaming to) the same thing: it is
// a conflict in words, never a 500 with the constraint's name. Prisma reports it as P2002 (or
// P2010 from raw SQL) with PostgreSQL's 23505 underneath; node-postgres reports 23505 directly.
import { AppError } from '../errors';

interface Violation {
  /** The table, e.g. "User". */
  table: string;
  /** The columns of the violated unique index, e.g. ["kind", "scope"]. */
  fields: string[];
}

/** How a table is named to a person, when its model name is not already the word. */
const NOUNS: Record<string, string> = { AdapterConfig: 'adapter', PolicyVersion: 'policy version', StateTransition: 'state transition' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** "AdapterConfig_name_key" + table "AdapterConfig" → ["name"]; Prisma names unique indexes so. */
function fieldsOf(index: string, table: string): string[] {
  const middle = index.startsWith(`${table}_`) && index.endsWith('_key') ? index.slice(table.length + 1, -'_key'.length) : '';
  return middle ? middle.split('_') : [];
}

/** The table and columns of a unique violation, or null when `err` is something else. */
export function uniqueViolationOf(err: unknown): Violation | null {
  if (!isObj(err)) return null;
  // Prisma through @prisma/adapter-pg: meta.driverAdapterError.cause carries PostgreSQL's fields.
  const meta = isObj(err.meta) ? err.meta : null;
  const cause = meta && isObj(meta.driverAdapterError) && isObj(meta.driverAdapterError.cause) ? meta.driverAdapterError.cause : null;
  if (cause && (cause.kind === 'UniqueConstraintViolation' || cause.originalCode === '23505')) {
    const table = typeof cause.table === 'string' ? cause.table : typeof meta?.modelName === 'string' ? meta.modelName : '';
    const c = isObj(cause.constraint) ? cause.constraint : {};
    const fields = Array.isArray(c.fields) ? c.fields.map(String) : typeof c.index === 'string' ? fieldsOf(c.index, table) : [];
    return { table, fields };
  }
  if (err.code === 'P2002' && meta) {
    const table = typeof meta.modelName === 'string' ? meta.modelName : '';
    return { table, fields: Array.isArray(meta.target) ? meta.target.map(String) : [] };
  }
  // node-postgres (a raw pool query): code, table and constraint are on the error itself.
  if (err.code === '23505') {
    const table = typeof err.table === 'string' ? err.table : '';
    return { table, fields: typeof err.constraint === 'string' ? fieldsOf(err.constraint, table) : [] };
  }
  return null;
}

const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
// "A user", "an adapter": a leading u here is said "you".
const article = (noun: string) => (/^[aeio]/.test(noun) ? 'An' : 'A');
const quoted = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? `"${String(v)}"` : null);

/**
 * The conflict a person reads after losing a create (or rename) race: "A user named "x" already
 * exists." `input` is the command's input, so the taken value can be named; the field error lets
 * the form put the message next to the field.
 */
export function uniqueConflict(v: Violation, input?: Record<string, unknown>): AppError {
  const noun = NOUNS[v.table] ?? (words(v.table) || 'record');
  const [only] = v.fields.length === 1 ? v.fields : [];
  const value = only ? quoted(input?.[only]) : null;
  let message: string;
  if (only === 'name' && value) message = `${article(noun)} ${noun} named ${value} already exists.`;
  else if (only && value) message = `${article(noun)} ${noun} with ${words(only)} ${value} already exists.`;
  else if (v.fields.length > 0) message = `${article(noun)} ${noun} with that ${v.fields.map(words).join(' and ')} already exists.`;
  else message = `That ${noun} already exists.`;
  message += ' Someone created it a moment ago; reload to see it.';
  return new AppError('CONFLICT', message, only ? { [only]: [`This ${words(only)} is taken`] } : undefined, { table: v.table, fields: v.fields });
}

/** `err` as a conflict in words when it is a unique violation; otherwise `err` unchanged. */
export function asConflict(err: unknown, input?: Record<string, unknown>): unknown {
  const v = uniqueViolationOf(err);
  return v ? uniqueConflict(v, input) : err;
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back whole. */
const TRANSIENT_SQLSTATES = new Set(['40P01', '40001']);

/** A transaction PostgreSQL aborted as a deadlock victim or a serialization failure (safe to run again). */
export function isTransientTxError(err: unknown): boolean {
  if (!isObj(err)) return false;
  if (err.code === 'P2034') return true;
  if (typeof err.code === 'string' && TRANSIENT_SQLSTATES.has(err.code)) return true;
  const meta = isObj(err.meta) ? err.meta : null;
  const cause = meta && isObj(meta.driverAdapterError) && isObj(meta.driverAdapterError.cause) ? meta.driverAdapterError.cause : null;
  if (cause && typeof cause.originalCode === 'string' && TRANSIENT_SQLSTATES.has(cause.originalCode)) return true;
  if (cause && cause.kind === 'TransactionWriteConflict') return true;
  // Prisma may wrap the driver error once more (raw queries: P2010 with the driver's message).
  return isObj(err.cause) ? isTransientTxError(err.cause) : false;
}
