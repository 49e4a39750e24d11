import { describe, expect, it } from 'vitest';
import { faultRefusals, type FaultCapabilities } from './refusals';
import { experimentSpecSchema, FAULT_KINDS, type ExperimentSpecInput } from './spec';

// The capabilities the two adapters declare (server/platform/{sim,haproxy}/adapter.ts).
const SIM: FaultCapabilities = { kind: 'sim', faults: [...FAULT_KINDS], faultExpiryInPlatform: [...FAULT_KINDS], faultCohortHeaders: 'any', faultCohortKinds: ['delay', 'loss', 'http-error'] };
const HAPROXY: FaultCapabilities = { kind: 'haproxy', faults: ['http-error', 'delay', 'loss', 'drain', 'kill'], faultExpiryInPlatform: ['http-error', 'delay', 'loss'], faultCohortHeaders: [] };
// HAProxy as it declares itself (server/platform/haproxy/adapter.ts capabilities()).
const HAPROXY_FULL: FaultCapabilities = {
  ...HAPROXY,
  faultCohortHeaders: ['X-Abtest-Group'],
  faultCohortKinds: ['http-error', 'delay', 'loss'],
  faultCohortReservedValues: ['*'],
  faultErrorStatuses: [500, 502, 503, 504],
  faultLossWholeServiceOnly: true,
  faultWholePercentOnly: true,
};

const spec = (fault: ExperimentSpecInput['fault'], cohort: ExperimentSpecInput['cohort'] = null) =>
  experimentSpecSchema.parse({ fault, targets: { services: ['edge'] }, durationS: 60, cohort });

describe('faultRefusals', () => {
  it('the simulator can do every kind, with a cohort on request faults, and expires all of them itself', () => {
    for (const fault of [{ kind: 'delay', delayMs: 200, jitterMs: 300 }, { kind: 'cpu-stress', pct: 50 }, { kind: 'drain' }] as const) {
      expect(faultRefusals(spec(fault), SIM)).toEqual({ refusals: [], warnings: [] });
    }
    expect(faultRefusals(spec({ kind: 'http-error', status: 503, pct: 20 }, { header: 'X-Abtest-Group', value: 'v2-canary' }), SIM)).toEqual({ refusals: [], warnings: [] });
  });

  it('refuses what HAProxy cannot inject, saying why and what to choose', () => {
    expect(faultRefusals(spec({ kind: 'cpu-stress', pct: 60 }), HAPROXY).refusals).toEqual([
      'The HAProxy adapter cannot inject cpu-stress (it sees traffic, not hosts); choose one it supports: http-error, delay, loss, drain, kill',
    ]);
    expect(faultRefusals(spec({ kind: 'buffer-saturation', stage: 'execution', fillPct: 90 }), HAPROXY).refusals[0]).toContain("(it sees traffic, not the service's stage buffers)");
    expect(faultRefusals(spec({ kind: 'kill' }), { ...HAPROXY, kind: 'other', faults: [] }).refusals).toEqual([
      'The other adapter cannot inject kill; it injects no faults: run the experiment on an adapter that does',
    ]);
  });

  it('warns when the platform cannot expire the fault by itself', () => {
    expect(faultRefusals(spec({ kind: 'drain' }), HAPROXY)).toEqual({
      refusals: [],
      warnings: ["drain on HAProxy is removed by a worker's reaper, not by the platform itself; if every worker dies it stays until one is back"],
    });
    expect(faultRefusals(spec({ kind: 'delay', delayMs: 200, jitterMs: 300 }), HAPROXY)).toEqual({ refusals: [], warnings: [] });
    // Refused kinds get the refusal only.
    expect(faultRefusals(spec({ kind: 'cpu-stress', pct: 60 }), HAPROXY).warnings).toEqual([]);
  });

  it('refuses a cohort the adapter cannot scope, and a cohort on a whole-instance fault', () => {
    const cohort = { header: 'X-Abtest-Group', value: 'v2-canary' };
    expect(faultRefusals(spec({ kind: 'http-error', status: 503, pct: 20 }, cohort), HAPROXY).refusals).toEqual([
      'The HAProxy adapter cannot scope a fault to a cohort (requests carrying X-Abtest-Group: v2-canary): remove the cohort to hit every request of the targets',
    ]);
    const some = { ...HAPROXY, faultCohortHeaders: ['x-abtest-group'] };
    expect(faultRefusals(spec({ kind: 'loss', pct: 5 }, cohort), some).refusals).toEqual([]);
    expect(faultRefusals(spec({ kind: 'loss', pct: 5 }, { header: 'X-User-Id', value: '7' }), some).refusals).toEqual([
      'The HAProxy adapter can scope faults only by x-abtest-group, not by X-User-Id: use one of those headers or remove the cohort',
    ]);
    expect(faultRefusals(spec({ kind: 'kill' }, cohort), SIM).refusals).toEqual([
      'A cohort scopes a fault to some requests (requests carrying X-Abtest-Group: v2-canary), but kill hits the whole instance: remove the cohort, or choose delay, loss, http-error',
    ]);
  });

  it('refuses an HTTP status the platform cannot return, naming the ones it can', () => {
    expect(faultRefusals(spec({ kind: 'http-error', status: 429, pct: 10 }), HAPROXY_FULL).refusals).toEqual(['The HAProxy adapter cannot return HTTP 429: choose one of 500, 502, 503, 504']);
    expect(faultRefusals(spec({ kind: 'http-error', status: 503, pct: 10 }), HAPROXY_FULL).refusals).toEqual([]);
    // Without the field any 400–599 goes.
    expect(faultRefusals(spec({ kind: 'http-error', status: 429, pct: 10 }), SIM).refusals).toEqual([]);
  });

  it('refuses a fractional percentage where the platform applies whole ones', () => {
    expect(faultRefusals(spec({ kind: 'http-error', status: 503, pct: 0.4 }), HAPROXY_FULL).refusals).toEqual([
      'The HAProxy adapter applies faults to a whole percentage of requests, not 0.4 %: choose 0 or 1 %',
    ]);
    expect(faultRefusals(spec({ kind: 'loss', pct: 2.5 }), HAPROXY_FULL, [{ service: 'edge', selected: 4, total: 4 }]).refusals).toEqual([
      'The HAProxy adapter applies faults to a whole percentage of requests, not 2.5 %: choose 2 or 3 %',
    ]);
    expect(faultRefusals(spec({ kind: 'loss', pct: 2.5 }), SIM).refusals).toEqual([]);
  });

  it('refuses loss on part of a service where the platform drops connections of a whole service only', () => {
    const fix = 'select every instance of the service (selection all, with a blast-radius cap of 100 %), or choose delay or http-error';
    expect(faultRefusals(spec({ kind: 'loss', pct: 5 }), HAPROXY_FULL, [{ service: 'edge', selected: 1, total: 4 }, { service: 'api', selected: 3, total: 3 }]).refusals).toEqual([
      `The HAProxy adapter drops connections of a whole service only (before a server is chosen): loss would hit all 4 instances of edge, not the 1 selected; ${fix}`,
    ]);
    expect(faultRefusals(spec({ kind: 'loss', pct: 5 }), HAPROXY_FULL, [{ service: 'edge', selected: 4, total: 4 }]).refusals).toEqual([]);
    // Without the selection's counts the mode judges.
    const one = experimentSpecSchema.parse({ fault: { kind: 'loss', pct: 5 }, targets: { services: ['edge'] }, selection: { mode: 'one' }, durationS: 60 });
    expect(faultRefusals(one, HAPROXY_FULL).refusals).toEqual([
      `The HAProxy adapter drops connections of a whole service only (before a server is chosen): loss would hit every instance of the targeted services, not the selection; ${fix}`,
    ]);
    expect(faultRefusals(one, SIM, [{ service: 'edge', selected: 1, total: 4 }]).refusals).toEqual([]);
  });

  it('refuses a cohort value the platform reserves, and a kind it cannot scope, from its capabilities', () => {
    expect(faultRefusals(spec({ kind: 'delay', delayMs: 100, jitterMs: 0 }, { header: 'X-Abtest-Group', value: '*' }), HAPROXY_FULL).refusals).toEqual([
      'The HAProxy adapter cannot scope a fault by the value "*" (it means "no cohort" there): choose another value of X-Abtest-Group',
    ]);
    expect(faultRefusals(spec({ kind: 'delay', delayMs: 100, jitterMs: 0 }, { header: 'X-Abtest-Group', value: '*' }), SIM).refusals).toEqual([]);
    const delayOnly = { ...SIM, faultCohortKinds: ['delay'] };
    expect(faultRefusals(spec({ kind: 'loss', pct: 5 }, { header: 'X-Abtest-Group', value: 'b' }), delayOnly).refusals).toEqual([
      'The simulator adapter cannot scope loss to a cohort (requests carrying X-Abtest-Group: b): remove the cohort, or choose delay',
    ]);
  });
});
