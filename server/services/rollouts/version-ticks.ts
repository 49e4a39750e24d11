// The canary analysis's input read from the per-version samples the telemetry loop records
// (SPEC §6.1): per tick, the canary's counts against stable's, both summed over the zones where the
// canary had instances up at that tick — so a zone without canary never weighs on the comparison.
import type { Db, Tx } from '../../db/client';
import type { AnalysisTick, VersionCounts } from '../../domain/rollouts/analysis/types';

export interface VersionTicksQuery {
  serviceId: string;
  canaryVersion: string;
  stableVersion: string;
  /** Ticks at or after this. */
  since: Date;
  /** Ticks at or before this; absent = up to the latest. */
  until?: Date;
}

interface Sum {
  requests: number;
  errors: number;
  buckets: number[] | null;
}

const add = (s: Sum, r: { requests: number; errors: number; buckets: number[] }) => {
  s.requests += r.requests;
  s.errors += r.errors;
  if (r.buckets.length > 0) {
    if (!s.buckets) s.buckets = new Array<number>(r.buckets.length).fill(0);
    for (let i = 0; i < s.buckets.length && i < r.buckets.length; i++) s.buckets[i]! += r.buckets[i]!;
  }
};

const counts = (s: Sum): VersionCounts => (s.buckets ? { requests: s.requests, errors: s.errors, buckets: s.buckets } : { requests: s.requests, errors: s.errors });

/**
 * One AnalysisTick per recorded tick in the window, oldest first. A tick where the canary had no
 * instance up compares nothing (both sides zero). `buckets` is absent on a side none of whose
 * instances had a histogram (a platform without one).
 */
export async function readVersionTicks(db: Db | Tx, q: VersionTicksQuery): Promise<AnalysisTick[]> {
  if (q.canaryVersion === q.stableVersion) throw new Error('readVersionTicks: the canary and the stable version must differ');
  const rows = await db.versionSample.findMany({
    where: { serviceId: q.serviceId, appVersion: { in: [q.canaryVersion, q.stableVersion] }, at: q.until ? { gte: q.since, lte: q.until } : { gte: q.since } },
    select: { at: true, appVersion: true, zone: true, instances: true, requests: true, errors: true, buckets: true },
    orderBy: [{ at: 'asc' }],
  });
  const byTick = new Map<number, typeof rows>();
  for (const r of rows) {
    const at = r.at.getTime();
    const list = byTick.get(at);
    if (list) list.push(r);
    else byTick.set(at, [r]);
  }
  const out: AnalysisTick[] = [];
  for (const [at, list] of byTick) {
    const zones = new Set(list.filter((r) => r.appVersion === q.canaryVersion && r.instances > 0).map((r) => r.zone));
    const canary: Sum = { requests: 0, errors: 0, buckets: null };
    const stable: Sum = { requests: 0, errors: 0, buckets: null };
    for (const r of list) {
      if (!zones.has(r.zone)) continue;
      add(r.appVersion === q.canaryVersion ? canary : stable, r);
    }
    out.push({ at, canary: counts(canary), stable: counts(stable) });
  }
  return out.sort((a, b) => a.at - b.at);
}
