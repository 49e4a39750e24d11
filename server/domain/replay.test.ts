// Replay is the live computation: the same recorded inputs and policy give the same weights and
// transitions as the step the live loop ran; a different policy changes only what it governs.
import { describe, expect, it } from 'vitest';
import { initialRuntime, stepInstance } from './instance-step';
import { STAGES, type FleetPolicies, type InstanceTelemetry, type Transition } from './model';
import { defaultPolicies } from './policy-defaults';
import { countReplay, replayInstance, type RecordedSample } from './replay';
import { seededRandom } from './seeded-random';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = 1_700_000_000_000;

/** Runs the live step over random telemetry and records samples as the loop persists them. */
function live(seed: number, ticks: number) {
  const rnd = seededRandom(seed);
  const rt = initialRuntime(T0);
  const samples: RecordedSample[] = [];
  const transitions: Transition[] = [];
  const fills = STAGES.map(() => rnd.next());
  let now = T0;
  for (let k = 0; k < ticks; k++) {
    now += 1000;
    for (let i = 0; i < fills.length; i++) fills[i] = rnd.chance(0.03) ? rnd.next() : Math.min(1, Math.max(0, fills[i]! + rnd.range(-0.08, 0.08)));
    const requests = rnd.int(0, 300);
    const t: InstanceTelemetry = {
      instanceId: 'x',
      up: !rnd.chance(0.02),
      cpuPct: rnd.chance(0.1) ? undefined : rnd.range(20, 100),
      p95Ms: rnd.range(50, 2000),
      connections: rnd.range(100, 5000),
      rtMs: rnd.range(20, 3000),
      requests,
      errors: rnd.int(0, requests),
      activeRequests: rnd.int(0, 700),
      maxConcurrency: 682,
      ingressWriteTimeouts: rnd.chance(0.05) ? rnd.int(1, 5) : 0,
      stages: STAGES.map((_, i) => ({ fill: fills[i]!, inputs: rnd.int(0, 50), outputs: rnd.int(0, 50), outputBlocked: fills[i]! > 0.97 })),
    };
    const res = stepInstance(rt, { telemetry: t, adminState: 'ready', now, policies });
    transitions.push(...res.transitions);
    samples.push({
      at: now, up: t.up, rtMs: t.rtMs ?? null, cpu: res.inputs.cpuPct, p95Ms: res.inputs.p95Ms, connections: res.inputs.connections,
      errorRate: t.requests ? (t.errors ?? 0) / t.requests : 0, requests: t.requests ?? null, activeRequests: t.activeRequests ?? null, maxConcurrency: t.maxConcurrency ?? null,
      ingressTimeouts: t.ingressWriteTimeouts ?? null, stageFill: res.stageFill, stageInputs: t.stages!.map((s) => s.inputs), stageOutputs: t.stages!.map((s) => s.outputs), stageBlocked: t.stages!.map((s) => s.outputBlocked),
      targetWeight: res.targetWeight, effectiveWeight: res.effectiveWeight, degradation: res.degradation, breaker: res.breaker, stageState: res.stageStates, inputAgeMs: res.inputAgeMs,
    });
  }
  return { samples, transitions };
}

describe('what-if replay', () => {
  it('replaying recorded samples with the live policy reproduces the live weights and transitions exactly (20 seeded runs)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const run = live(seed, 300);
      const replay = replayInstance('x', run.samples, policies, { freshAt: T0 });
      expect(replay.points.map((p) => p.effectiveWeight)).toEqual(run.samples.map((s) => s.effectiveWeight));
      expect(replay.points.map((p) => p.degradation)).toEqual(run.samples.map((s) => s.degradation));
      expect(replay.points.map((p) => p.breaker)).toEqual(run.samples.map((s) => s.breaker));
      expect(replay.transitions).toEqual(run.transitions);
      compared += run.transitions.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('a draft with a lower stage-break watermark breaks more stages on the same inputs; the counts say so', () => {
    const run = live(42, 600);
    const base = replayInstance('x', run.samples, policies);
    const draft = replayInstance('x', run.samples, { ...policies, watermark: { ...policies.watermark, breakPct: 80, degradePct: 70 } });
    const a = countReplay([base]);
    const b = countReplay([draft]);
    expect(b.degradations).toBeGreaterThan(a.degradations);
    expect(b.weightRecomputes).toBe(a.weightRecomputes);
  });

  it('resuming mid-stream continues the weights exactly as live: sampling phase, periodic phase, threshold state and mode (10 seeded runs)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const run = live(seed, 240);
      for (const from of [37, 119]) {
        const tail = run.samples.slice(from);
        const replay = replayInstance('x', tail, policies);
        expect(replay.points.map((p) => p.targetWeight)).toEqual(tail.slice(1).map((s) => s.targetWeight));
        const weightAfter = (ts: Transition[]) => ts.filter((t) => t.machine === 'weight' && t.at > tail[0]!.at);
        expect(weightAfter(replay.transitions)).toEqual(weightAfter(run.transitions));
        compared += weightAfter(run.transitions).length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('an instance drained now resumes with its weight mode unknown: the first step takes it out, as live would', () => {
    const run = live(7, 120);
    const replay = replayInstance('x', run.samples.slice(59), policies, { adminState: 'drain' });
    expect(replay.points[0]!.targetWeight).toBe(0);
    expect(replay.transitions.find((t) => t.machine === 'weight')?.cause).toMatch(/drain/i);
  });

  it('without the recompute age (samples from before it was kept) the resume still starts in service, not with a first computation', () => {
    const run = live(7, 120);
    const tail = run.samples.slice(59).map((s) => ({ ...s, inputAgeMs: { ...s.inputAgeMs, recompute: undefined } }));
    const replay = replayInstance('x', tail, policies);
    expect(replay.transitions.filter((t) => t.cause === 'first computation')).toEqual([]);
  });
});
