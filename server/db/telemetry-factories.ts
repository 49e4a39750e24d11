// Telemetry rows for tests and benchmarks, written as the telemetry loop writes them
// (docs/telemetry.md): a Tick, one sample per instance at the tick's time, its transitions.
// Ticks are batched (one statement per table), so minutes of history for a fleet stay fast.
import type { DbOrTx } from './client';
import type { Prisma } from './generated/client';
import type { MachineKind } from './generated/enums';
import type { RecomputeTrigger } from '../domain/model';

export type SampleFields = Omit<Prisma.TelemetrySampleCreateManyInput, 'instanceId' | 'at' | 'tickId'>;

export interface TransitionFields {
  instanceId: string;
  machine: MachineKind;
  stage?: string;
  from: string;
  to: string;
  cause: string;
  values?: Record<string, number>;
  /** Weight recomputes: what triggered it (the column queries read; `cause` is only its sentence). */
  trigger?: RecomputeTrigger;
}

/** A healthy, lightly loaded instance; override what the test is about. */
export function sampleFields(over: Partial<SampleFields> = {}): SampleFields {
  return {
    up: true,
    rtMs: 20,
    cpu: 30,
    memory: 40,
    p50Ms: 40,
    p95Ms: 200,
    p99Ms: 400,
    connections: 300,
    rps: 50,
    errorRate: 0,
    inputAgeMs: { cpu: 0, p95: 0, connections: 0 },
    targetWeight: 80,
    effectiveWeight: 80,
    degradation: 0,
    breaker: 'closed',
    stageFill: [0.1, 0.1, 0.1, 0.1, 0.1],
    stageState: ['active', 'active', 'active', 'active', 'active'],
    ...over,
  };
}

export interface TickSpec {
  at: Date;
  /** Instance id → fields (defaults from sampleFields). */
  samples: Array<{ instanceId: string } & Partial<SampleFields>>;
  transitions?: TransitionFields[];
}

/**
 * Writes ticks in order (ids ascend with time, as the loop's do) and returns their ids. Does not
 * NOTIFY: a test announces a tick with `SELECT pg_notify('switchback_tick', id)` when it wants to.
 */
export async function makeTicks(db: DbOrTx, ticks: readonly TickSpec[]): Promise<bigint[]> {
  if (!ticks.length) return [];
  const created = await db.tick.createManyAndReturn({
    data: ticks.map((t) => ({ startedAt: t.at, finishedAt: new Date(t.at.getTime() + 5), durationMs: 5, instances: t.samples.length, leader: 'factory' })),
    select: { id: true, startedAt: true },
  });
  const idAt = new Map(created.map((c) => [c.startedAt.getTime(), c.id]));
  const samples: Prisma.TelemetrySampleCreateManyInput[] = [];
  const transitions: Prisma.StateTransitionCreateManyInput[] = [];
  for (const t of ticks) {
    const tickId = idAt.get(t.at.getTime())!;
    for (const { instanceId, ...over } of t.samples) samples.push({ instanceId, at: t.at, tickId, ...sampleFields(over) });
    for (const tr of t.transitions ?? []) {
      transitions.push({ at: t.at, tickId, instanceId: tr.instanceId, machine: tr.machine, stage: tr.stage ?? '', fromState: tr.from, toState: tr.to, cause: tr.cause, values: tr.values ?? {}, ...(tr.trigger ? { trigger: tr.trigger } : {}) });
    }
  }
  for (let i = 0; i < samples.length; i += 5000) await db.telemetrySample.createMany({ data: samples.slice(i, i + 5000) });
  for (let i = 0; i < transitions.length; i += 5000) await db.stateTransition.createMany({ data: transitions.slice(i, i + 5000) });
  return ticks.map((t) => idAt.get(t.at.getTime())!);
}

/** One tick; see makeTicks. */
export async function makeTick(db: DbOrTx, tick: TickSpec): Promise<bigint> {
  const [id] = await makeTicks(db, [tick]);
  return id!;
}

/**
 * `count` ticks `stepMs` apart starting at `from`, one sample per instance each, with fields from
 * `fields(instanceId, k, at)` and optional transitions per tick.
 */
export function tickSeries(
  from: Date,
  count: number,
  stepMs: number,
  instanceIds: readonly string[],
  fields: (instanceId: string, k: number, at: Date) => Partial<SampleFields> = () => ({}),
  transitions: (k: number, at: Date) => TransitionFields[] = () => [],
): TickSpec[] {
  return Array.from({ length: count }, (_, k) => {
    const at = new Date(from.getTime() + k * stepMs);
    return { at, samples: instanceIds.map((instanceId) => ({ instanceId, ...fields(instanceId, k, at) })), transitions: transitions(k, at) };
  });
}
