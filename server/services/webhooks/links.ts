// Links a webhook carries into the console. The base is SWITCHBACK_PUBLIC_URL when Switchback sits
// behind a proxy (what people's browsers reach), else the address it listens on.
import { env } from '../../env';

export function consoleBase(): string {
  const e = env();
  const base = e.SWITCHBACK_PUBLIC_URL ?? `http://${e.SWITCHBACK_HOST === '0.0.0.0' ? '127.0.0.1' : e.SWITCHBACK_HOST}:${e.PORT}`;
  return base.replace(/\/+$/, '');
}

export const consoleLink = (path: string) => `${consoleBase()}${path}`;

/** Opens the rollout with its approval panel focused (sign-in required; the same rules apply). */
export const approvalLink = (rolloutId: string, requestId: string) => consoleLink(`/rollouts/${rolloutId}?approval=${requestId}`);
