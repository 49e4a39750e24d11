// The form checks a policy with the very schema the server enforces (server/domain is pure zod),
// so a bad value is named next to its field before anything is sent.
// server/domain is pure (zod only, no I/O): the one exception to "types only", so client and server cannot disagree (allowed in eslint/boundaries.mjs)
// First: no eval under the CSP (see zod-no-eval.ts); it must run before the schemas are built.
import './zod-no-eval';
import { policyMessage, validatePolicy, type PolicyKind } from '@/server/domain/policy-schemas';

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
