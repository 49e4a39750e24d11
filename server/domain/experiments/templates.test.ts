import { describe, expect, it } from 'vitest';
import { demoFleet } from '../../../prisma/demo-fleet';
import { createSimAdapter } from '../../platform/sim/adapter';
import { simConfigSchema } from '../../platform/sim/config';
import { faultRefusals } from './refusals';
import { selectTargets, type TargetCandidate } from './selection';
import { experimentSpecSchema } from './spec';
import { EXPERIMENT_TEMPLATES, templateByKey } from './templates';

/** The demo fleet (prisma/demo-fleet.ts) as target candidates, every instance in service. */
function demoCandidates(): TargetCandidate[] {
  const where = new Map(demoFleet.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters.map((c) => [c, { region: r.name, zone: z.name }] as const))));
  const out: TargetCandidate[] = [];
  for (const s of demoFleet.services) {
    for (const p of s.placement) {
      for (const [version, n] of Object.entries(p.versions)) {
        for (let k = 0; k < n; k++) {
          const name = `${s.name}-${p.cluster}-${version}-${k}`;
          out.push({ id: name, name, service: s.name, version, cluster: p.cluster, ...where.get(p.cluster)!, labels: { ...(s.labels ?? {}) }, adminState: 'ready' });
        }
      }
    }
  }
  return out;
}

/** The default global maximum share of a service (SystemSetting chaos.limits absent). */
const DEFAULT_GLOBAL_MAX_PCT = 50;

describe('built-in templates', () => {
  const instances = demoCandidates();
  const sim = createSimAdapter(simConfigSchema.parse({}));
  const caps = { kind: 'sim', ...sim.capabilities() };

  it('the demo fleet is the one the templates are written for', () => {
    expect(instances).toHaveLength(84);
  });

  // The start draws with the run id as its seed: every draw must pass, not just the preview's.
  it.each(EXPERIMENT_TEMPLATES.map((t) => [t.key, t] as const))('%s starts as written on the demo fleet and the simulator, whatever the draw', (_key, t) => {
    const spec = experimentSpecSchema.parse(t.spec);
    for (let run = 0; run < 40; run++) {
      const sel = selectTargets({ spec, instances, globalMaxPct: DEFAULT_GLOBAL_MAX_PCT, seed: `${t.key}-run-${run}` });
      expect(sel.refusals).toEqual([]);
      expect(sel.selected.length).toBeGreaterThan(0);
      expect(faultRefusals(spec, caps, sel.perService).refusals).toEqual([]);
    }
  });

  it("seed-jitter hits half of edge-gateway, one instance in each zone (within the admin's 50 % there too)", () => {
    const spec = experimentSpecSchema.parse(templateByKey('seed-jitter')!.spec);
    const sel = selectTargets({ spec, instances, globalMaxPct: DEFAULT_GLOBAL_MAX_PCT, seed: 'x' });
    expect(sel.perService.map((s) => [s.service, s.selected, s.total])).toEqual([['edge-gateway', 5, 10]]);
    expect(sel.caps.zone).toEqual({ pct: 50, by: 'admin' });
    expect(sel.perZone.map((z) => [z.zone, z.selected, z.total])).toEqual([
      ['eu-west-a', 1, 2],
      ['eu-west-b', 1, 2],
      ['eu-west-c', 1, 2],
      ['us-east-a', 1, 2],
      ['us-east-b', 1, 2],
    ]);
  });
});
