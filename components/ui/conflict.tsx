import { errorCode } from '@/components/trpc/errors';

/** What a refused compare-and-set carries in `error.data.details` (server/services/compare-and-set.ts). */
export interface StaleWrite {
  currentVersion: number;
  changedBy: string | null;
  changedAt: string | null;
  current: Record<string, unknown>;
}

/** The stale-write details of a CONFLICT error, or null (another error, or a name clash). */
export function staleWriteOf(error: unknown): StaleWrite | null {
  if (errorCode(error) !== 'CONFLICT') return null;
  const details = (error as { data?: { details?: unknown } }).data?.details;
  if (!details || typeof details !== 'object') return null;
  const d = details as Partial<StaleWrite>;
  if (typeof d.currentVersion !== 'number' || !d.current || typeof d.current !== 'object') return null;
  return { currentVersion: d.currentVersion, changedBy: d.changedBy ?? null, changedAt: d.changedAt ?? null, current: d.current };
}

const show = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : JSON.stringify(v));

/** The row as it is now, next to the form that was based on an older version. */
export function CurrentValues({ stale, labels }: { stale: StaleWrite; labels: Record<string, string> }) {
  return (
    <dl aria-label={`Version ${stale.currentVersion} now holds`}>
      {Object.entries(labels).map(([key, label]) => (
        <div key={key}>
          <dt>{label} now</dt>
          <dd>{show(stale.current[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
