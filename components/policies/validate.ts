// The form checks a policy with the very schema the server enforces (server/domain is pure zod),
// so a bad value is named next to its field before anything is sent.
// server/domain is pure (zod only, no I/O): the one exception to "types only", so client and server cannot disagree (allowed in eslint/boundaries.mjs)
import { z } from 'zod';
import { policyMessage, validatePolicy, type PolicyKind } from '@/server/domain/policy-schemas';

// The console's Content-Security-Policy allows no eval. zod compiles object parsers with
// `new Function` when it may, and its probe for that is itself reported as a CSP violation
// (caught, but reported). Interpreted parsing is plenty for a form.
z.config({ jitless: true });

/** Messages by field path ("coefficients.cpu"); empty when the document is valid. */
export function documentErrors(kind: string, doc: unknown): Record<string, string[]> {
  const r = validatePolicy(kind as PolicyKind, doc);
  return r.ok ? {} : r.errors;
}

/** The publish message's problem in words, or undefined. */
export function messageError(message: string): string[] | undefined {
  const r = policyMessage.safeParse(message);
  return r.success ? undefined : r.error.issues.map((i) => i.message);
}
