// The longest text each kind of form field accepts, shown in the form (maxLength, a counter and a
// hint) and the same numbers the server's input schemas enforce, so the browser never lets a user
// type what the server will refuse. Client-safe: no server imports.

export const TEXT_LIMITS = {
  /** A user's sign-in name (server: 2–32 characters, a pattern). */
  userName: 32,
  /** A user's display name. */
  displayName: 80,
  /** A service's name (server: 2–63 characters, a pattern). */
  serviceName: 63,
  /** A platform adapter's name. */
  adapterName: 60,
  /** A free-text description (a service's). */
  description: 2000,
  /** A change message (policy publish, rollback). */
  message: 500,
  /** A password (server: passwordRule.max). */
  password: 200,
  /** A search box. */
  search: 100,
} as const;

export type TextLimitKind = keyof typeof TEXT_LIMITS;

/** "at most 2,000 characters". */
export const limitHint = (max: number) => `at most ${max.toLocaleString('en-US')} characters`;

/** The counter under a field: "12 / 2,000"; null while far from the limit (under 80 %). */
export function lengthCounter(length: number, max: number): string | null {
  if (length < max * 0.8) return null;
  return `${length.toLocaleString('en-US')} / ${max.toLocaleString('en-US')}`;
}
