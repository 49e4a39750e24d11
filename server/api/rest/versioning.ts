import { problem, type Problem } from './problem';
import { objectPart, type JsonSchema } from './schema';

// ETag / If-Match over the rows' own `version` numbers (compare-and-set): an
// ETag is the version in quotes, `"7"`; a write that sends `If-Match: "7"` is applied only when
// the row is still at version 7, else 412 naming the version it is at now.

export const etag = (version: number) => `"${version}"`;

/** `"7"`, `W/"7"` or a bare 7 → 7; absent → null; anything else → a problem in words. */
export function parseIfMatch(header: string | null): number | null | Problem {
  if (header === null || header.trim() === '') return null;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) {
    return problem(400, 'If-Match takes one version as the ETag of a GET gives it, e.g. If-Match: "7".', { errors: { 'If-Match': ['One quoted version number, e.g. "7"'] } });
  }
  return Number(m[1]);
}

export function versionOf(output: unknown, etagOf?: (o: unknown) => number | undefined): number | undefined {
  if (etagOf) return etagOf(output);
  const v = (output as { version?: unknown } | null)?.version;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/**
 * Puts the If-Match version into the input's version field. The body may carry it as well;
 * when both are there and disagree the client is confused about what it edits: 422 naming both.
 * A versioned write with no version at all is 428 (RFC 6585), telling where to get one — the
 * schema would say "version: required", which does not say that If-Match is the other way.
 */
export function applyIfMatch(input: unknown, field: string, ifMatch: number | null, schema: JsonSchema | null): { input: unknown } | Problem {
  const obj = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  if (ifMatch !== null) {
    if (!obj) return { input: { [field]: ifMatch } };
    const given = obj[field];
    if (given !== undefined && given !== ifMatch) {
      return problem(422, `If-Match names version ${ifMatch} but the body's ${field} is ${JSON.stringify(given)}; send one of them, or the same version in both.`, {
        errors: { [field]: [`If-Match says ${ifMatch}, the body says ${JSON.stringify(given)}`] },
      });
    }
    return { input: { ...obj, [field]: ifMatch } };
  }
  const required = objectPart(schema)?.required?.includes(field) ?? false;
  if (required && (obj?.[field] === undefined || obj?.[field] === null)) {
    return problem(428, `This change needs the version it is based on: send If-Match: "<version>" (the ETag of the GET) or "${field}" in the body.`, {
      errors: { [field]: ['Send If-Match or this field'] },
    });
  }
  return { input };
}
