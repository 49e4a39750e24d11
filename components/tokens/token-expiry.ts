// The expiry choices of the new-token form, and what the form sends for each. Client-safe.
export const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '365 days (the longest)' },
  { value: 'date', label: 'On a date…' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

export const isExpiryChoice = (v: string): v is ExpiryChoice => EXPIRY_CHOICES.some((c) => c.value === v);

/** The create input's expiry: days, or the date the person picked (epoch ms; null when not valid). */
export function expiryInput(choice: ExpiryChoice, at: number | null): { expiresInDays: number } | { expiresAt: Date } | null {
  if (choice !== 'date') return { expiresInDays: Number(choice) };
  return at === null ? null : { expiresAt: new Date(at) };
}

/** The token name field's limit (server: TOKEN_NAME_MAX). */
export const TOKEN_NAME_MAX = 60;
export const REVOKE_REASON_MAX = 500;
