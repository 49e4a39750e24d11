// What-if preview: the last N minutes of stored samples replayed through the published policy
// and through the draft (server/domain/replay.ts), next to what actually happened.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { pgUtc } from '../../db/timestamp';
import type { FleetPolicies } from '../../domain/model';
import { validatePolicy, withDefaults, type PolicyKind } from '../../domain/policy-schemas';
import type { ReplayCounts } from '../../domain/replay';
import { AppError } from '../../errors';
import { policyRef } from './policies';
import { jsonObject } from '../../domain/inputs';
import { replayWindow, type WindowReplay } from './preview-replay';
import { PACK_WINDOW_MINUTES } from '../telemetry/telemetry-pack';

export const previewInput = policyRef.extend({
  document: jsonObject('The policy'),
  minutes: z.number().int().min(1, 'At least 1 minute').max(PACK_WINDOW_MINUTES, `At most ${PACK_WINDOW_MINUTES} minutes`).default(15),
  /** Names the preview's progress for polling (policies.previewProgress); the console makes one per preview. */
  progressKey: z.uuid('A preview key is a UUID').optional(),
});

/** The preview's one-line verdict: what the draft would have done differently, in words. */
export function phrase(base: ReplayCounts, draft: ReplayCounts): string {
  const parts: string[] = [];
  // "1 more degradation step", "2 more degradation steps".
  const d = (n: number, one: string) => {
    if (n !== 0) parts.push(`${Math.abs(n)} ${n < 0 ? 'fewer' : 'more'} ${one}${Math.abs(n) === 1 ? '' : 's'}`);
  };
  d(draft.stageBreaks - base.stageBreaks, 'stage-break');
  d(draft.degradations - base.degradations, 'degradation step');
  d(draft.breakerOpens - base.breakerOpens, 'breaker open');
  d(draft.weightRecomputes - base.weightRecomputes, 'weight recompute');
  const below = draft.instancesBelowLow - base.instancesBelowLow;
  if (below !== 0) parts.push(`${Math.abs(below)} instance${Math.abs(below) === 1 ? '' : 's'} ${below > 0 ? 'more' : 'fewer'} would have dropped below weight 20`);
  // A draft that only moves the weights (a lower base, say) changes no count: it must not read as
  // "no difference". The means are already rounded to one decimal.
  if (draft.meanEffectiveWeight !== base.meanEffectiveWeight) parts.push(`mean weight ${draft.meanEffectiveWeight} instead of ${base.meanEffectiveWeight}`);
  return parts.length ? `${parts.join(', ')}.` : 'No difference on these samples.';
}

const INPUT_NAMES = { cpu: 'CPU', p95: 'P95', connections: 'connections' } as const;

/** The samples hold each input as often as the live loop took it: a draft cannot sample more often. */
function cadenceNotes(published: FleetPolicies['weight'], draft: Record<string, unknown>): string[] {
  const cadences = (draft as { cadencesS?: Partial<Record<keyof typeof INPUT_NAMES, number>> }).cadencesS ?? {};
  return (Object.keys(INPUT_NAMES) as Array<keyof typeof INPUT_NAMES>)
    .filter((k) => (cadences[k] ?? Infinity) < published.cadencesS[k])
    .map((k) => `This draft samples ${INPUT_NAMES[k]} every ${cadences[k]} s, but the stored samples took it every ${published.cadencesS[k]} s: the replay uses the values that were taken.`);
}

/** The instances a preview replays: the service's for a service scope, else every instance whose service has no policy of its own of this kind. */
export const previewInstancesWhere = (serviceId: string | null, overridden: Iterable<string>) => (serviceId ? { serviceId } : { serviceId: { notIn: [...overridden] } });

/**
 * `opts` is for benchmarks and tests: `now` ends the window, `replay` replaces the replay (the
 * serial reference it is checked against); `onProgress` is told how many instances are replayed.
 */
export async function previewPolicy(db: Db, input: z.input<typeof previewInput>, opts: { now?: Date; replay?: WindowReplay; onProgress?: (done: number, total: number) => void } = {}) {
  const data = previewInput.parse(input);
  const v = validatePolicy(data.kind, data.document);
  if (!v.ok) throw new AppError('BAD_REQUEST', 'Fix the invalid fields before previewing.', Object.fromEntries(Object.entries(v.errors).map(([p, m]) => [`document.${p}`, m])));
  if (data.kind === 'strategy') throw new AppError('BAD_REQUEST', 'The strategy order changes routing, not the weights or state machines: there is nothing to replay.');
  const started = performance.now();
  const policies = await db.policy.findMany({ where: { kind: { in: ['weight', 'watermark', 'breaker'] } } });
  const doc = (k: PolicyKind, scope: string) => policies.find((p) => p.kind === k && p.scope === scope)?.document;
  const effective = (serviceId: string): FleetPolicies => {
    const pick = (k: 'weight' | 'watermark' | 'breaker') => withDefaults(k, doc(k, `service:${serviceId}`) ?? doc(k, 'global'));
    return { weight: pick('weight'), watermark: pick('watermark'), breaker: pick('breaker') } as unknown as FleetPolicies;
  };
  const overridden = new Set(policies.filter((p) => p.kind === data.kind && p.serviceId).map((p) => p.serviceId!));
  const serviceId = data.scope === 'global' ? null : data.scope.slice('service:'.length);
  const notes = data.kind === 'weight' ? cadenceNotes(serviceId ? effective(serviceId).weight : (withDefaults('weight', doc('weight', 'global')) as unknown as FleetPolicies['weight']), v.document) : [];
  const instances = await db.instance.findMany({
    where: previewInstancesWhere(serviceId, overridden),
    select: { id: true, name: true, serviceId: true, adminState: true },
    // The figures are sums in instance order: a fixed order makes them the same on every run.
    orderBy: { id: 'asc' },
  });
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - data.minutes * 60_000);
  const perService = new Map<string, { current: FleetPolicies; proposed: FleetPolicies }>();
  const policiesOf = (serviceId: string) => {
    let p = perService.get(serviceId);
    if (p === undefined) {
      const current = effective(serviceId);
      perService.set(serviceId, (p = { current, proposed: { ...current, [data.kind]: withDefaults(data.kind, v.document) } }));
    }
    return p;
  };
  const tally = await (opts.replay ?? replayWindow)(db, { instances, from, to, policiesOf, onProgress: opts.onProgress });
  const { replayed, actual: actualWeights } = tally;
  // The replay starts in the state of each instance's first sample, so a live transition at that
  // tick (e.g. the first tick after a start) is already behind it: count only those after it.
  const actual = await db.$queryRaw<Array<{ stage_breaks: bigint; degradations: bigint; breaker_opens: bigint; recomputes: bigint }>>`
    SELECT count(*) FILTER (WHERE machine = 'stage' AND "toState" = 'blocked') AS stage_breaks,
           count(*) FILTER (WHERE machine = 'degradation' AND "toState" > "fromState") AS degradations,
           count(*) FILTER (WHERE machine = 'breaker' AND "toState" = 'open') AS breaker_opens,
           count(*) FILTER (WHERE machine = 'weight') AS recomputes
    FROM "StateTransition" t
    JOIN unnest(${replayed.map((r) => r.id)}::uuid[], ${replayed.map((r) => pgUtc(r.first))}::timestamp[], ${replayed.map((r) => pgUtc(r.last))}::timestamp[]) AS w(id, f, l)
      ON t."instanceId" = w.id AND t.at > w.f AND t.at <= w.l`;
  const a = actual[0];
  const baseline = tally.baseline;
  const proposed = tally.draft;
  return {
    window: { from, to, minutes: data.minutes },
    instances: replayed.length,
    samples: tally.samples,
    computeMs: Math.round(performance.now() - started),
    /** fetch: time spent waiting for samples (PostgreSQL's other work overlaps the replay). */
    phasesMs: { fetch: Math.round(tally.phasesMs.fetch), replay: Math.round(tally.phasesMs.replay) },
    /** Threads the replay ran in (2: the stages, watermarks and breaker counted beside the weights). */
    threads: tally.threads,
    actual: { stageBreaks: Number(a?.stage_breaks ?? 0), degradations: Number(a?.degradations ?? 0), breakerOpens: Number(a?.breaker_opens ?? 0), weightRecomputes: Number(a?.recomputes ?? 0),
      instancesBelowLow: actualWeights.below, meanEffectiveWeight: actualWeights.n ? Math.round((actualWeights.sum / actualWeights.n) * 10) / 10 : 0 },
    baseline,
    draft: proposed,
    summary: phrase(baseline, proposed),
    notes,
    changed: tally.perInstance.filter((p) => p.baseMin !== p.draftMin || p.baseTransitions !== p.draftTransitions).sort((x, y) => Math.abs(y.draftMin - y.baseMin) - Math.abs(x.draftMin - x.baseMin)).slice(0, 20),
    series: [...tally.series.entries()].sort(([x], [y]) => x - y).map(([at, s]) => ({ at, actual: s.actual / s.n, base: s.base / s.n, draft: s.draft / s.n })),
  };
}
