import type { Health } from '@/server/services/system/health';
import { formatTime, type DisplayZone } from '@/components/ui/format-time';

const UTC: DisplayZone = { preference: 'utc', timeZone: 'UTC' };

/**
 * The one line the console shows under the navigation when the platform cannot be steered, most
 * fundamental cause first; null while all is well. (A database outage is not said here: every
 * page already fails in words then.)
 */
export function bannerText(h: Health | undefined, zone: DisplayZone = UTC): string | null {
  const time = (iso: string) => formatTime(iso, zone);
  if (!h || !h.database.ok) return null;
  if (!h.worker.ok) {
    const since = h.worker.lastBeatAt ? `no heartbeat since ${time(h.worker.lastBeatAt)}` : 'no worker has started';
    return `The worker is down (${since}): telemetry, weight changes and jobs are paused until it is back. npm start restarts it by itself.`;
  }
  if (h.adapter && !h.adapter.ok) {
    const since = h.adapter.since ? ` since ${time(h.adapter.since)}` : '';
    return `Platform adapter${h.adapter.kind ? ` (${h.adapter.kind})` : ''} unreachable${since}: ${h.adapter.error ?? 'no answer'}. Weights and routing are not being applied; the loop retries every tick.`;
  }
  if (!h.telemetry.ok) return `The telemetry loop is not ticking: ${h.telemetry.error ?? 'unknown'}.`;
  return null;
}
