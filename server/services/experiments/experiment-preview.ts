// The target preview: which instances a run of `spec` would hit on today's fleet, the shares of
// each service / zone / cluster against the blast-radius caps (the experiment's and the admin's
// global maximum, which bounds all three), and what the active platform cannot do, all in words
// before anything starts.
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { ExperimentSpec } from '../../domain/experiments/spec';
import { chaosLimits } from '../safety/limits';
import { faultRefusals } from '../../domain/experiments/refusals';
import { activeFaultCapabilities } from './run-checks';
import { selectTargets, type TargetCandidate } from '../../domain/experiments/selection';
import { previewExperimentInput } from './experiment-inputs';

const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(typeof v === 'object' && v !== null ? v : {}).filter(([, x]) => typeof x === 'string'));

/** Every instance with where it runs, for target selection. */
export async function fleetInstances(db: DbOrTx): Promise<TargetCandidate[]> {
  const rows = await db.instance.findMany({
    select: { id: true, name: true, appVersion: true, labels: true, adminState: true, service: { select: { name: true } }, cluster: { select: { name: true, zone: { select: { name: true, region: { select: { name: true } } } } } } },
  });
  return rows.map((i) => ({ id: i.id, name: i.name, service: i.service.name, version: i.appVersion, cluster: i.cluster.name, zone: i.cluster.zone.name, region: i.cluster.zone.region.name, labels: strings(i.labels), adminState: i.adminState === 'maint' ? 'maintenance' : i.adminState }));
}

/** A stable seed per spec, so the preview shows the same instances on every look. */
const seedOf = (spec: ExperimentSpec) => JSON.stringify(spec.targets) + JSON.stringify(spec.selection);

export async function previewExperiment(db: Db, input: z.input<typeof previewExperimentInput>) {
  const { spec } = previewExperimentInput.parse(input);
  const [instances, limits, caps] = await Promise.all([fleetInstances(db), chaosLimits(db), activeFaultCapabilities(db)]);
  const sel = selectTargets({ spec, instances, globalMaxPct: limits.maxBlastRadiusPct, seed: seedOf(spec) });
  const platform = faultRefusals(spec, caps, sel.perService);
  const refusals = [...sel.refusals, ...platform.refusals];
  return {
    matched: sel.matched.length,
    summary: sel.summary,
    selected: sel.selected,
    perService: sel.perService,
    perZone: sel.perZone,
    perCluster: sel.perCluster,
    capPct: sel.capPct,
    /** The cap per service, zone and cluster and whose it is (the admin's maximum bounds all three). */
    caps: sel.caps,
    globalMaxPct: limits.maxBlastRadiusPct,
    adapter: caps.adapter,
    refusals,
    warnings: [...sel.warnings, ...platform.warnings],
    canRun: refusals.length === 0,
  };
}
