// What a header-route value may hold, shared by the rollout spec (refuses it in words) and the
// HAProxy adapter (throws rather than drop a rule it cannot hold).

/**
 * Why a header-route value cannot be routed, in words. It becomes a key of an HAProxy map: a map
 * file line ends its key at whitespace and treats a leading `#` as a comment, and the Runtime API
 * ends a command at `;`. Refused here so that no platform ever has to drop the rule.
 */
export function headerValueProblem(value: string): string | null {
  if (/\s/.test(value)) return 'The value may not contain spaces or other whitespace (HAProxy map keys end at whitespace)';
  if (value.includes(';')) return 'The value may not contain ";" (HAProxy runtime commands end at ";")';
  if (value.startsWith('#')) return 'The value may not start with "#" (HAProxy map files read such a line as a comment)';
  return null;
}
