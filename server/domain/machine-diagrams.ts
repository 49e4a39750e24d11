// The machines as diagrams (SPEC §3.2–3.4, §4.6): states, and every edge the machines can take
// with its trigger in words and the policy value it uses — built from the same tables and policy
// documents the live loop, the rollout reconciler and the chaos run controller run, so a published
// change shows on the edge.
import { BREAKER_TRANSITIONS } from './breaker';
import { LEVEL_LABELS, LEVEL_NAMES } from './degradation';
import type { FleetPolicies } from './model';
import { RUN_STATE_LABELS, RUN_STATES, RUN_TRANSITIONS } from './experiments/machine';
import { ROLLOUT_STATES, ROLLOUT_TRANSITIONS, STATE_LABELS } from './rollouts/machine';
import { STAGE_TRANSITIONS } from './stage-machine';

/** The instance machines (stage, degradation, breaker), the rollout machine (one per rollout) and the chaos run machine (one per experiment run). */
export const MACHINES = ['stage', 'degradation', 'breaker', 'rollout', 'experiment'] as const;
export type MachineName = (typeof MACHINES)[number];

export interface DiagramState {
  id: string;
  label: string;
}

export interface DiagramEdge {
  /** `${from}>${to}`: the key transitions are counted by. */
  id: string;
  from: string;
  to: string;
  trigger: string;
  /** The trigger in a few words with its policy value, for the label on the drawn edge ("≥ 95 % 5 s"). */
  short: string;
}

export interface MachineDiagram {
  machine: MachineName;
  title: string;
  states: DiagramState[];
  edges: DiagramEdge[];
}

const STAGE_TRIGGER: Record<string, string> = {
  'idle>active': 'a request enters the stage',
  'active>idle': 'buffer drained, nothing in flight',
  'active>blocked': 'output ready but the next buffer is full (backpressure)',
  'blocked>active': 'the next buffer has room again',
};

const STAGE_SHORT: Record<string, string> = {
  'idle>active': 'request in',
  'active>idle': 'drained',
  'active>blocked': 'next buffer full',
  'blocked>active': 'room again',
};

function climbShort(level: number, p: FleetPolicies): string {
  const w = p.watermark;
  if (level === 1) return `≥ ${w.degradePct} %`;
  if (level === 2) return `≥ ${w.breakPct} % ${w.breakHoldS} s`;
  return `${w.routeSwitchMinBrokenStages} broken / ${w.ingress.timeoutsToIsolate} timeouts`;
}

/** What makes the ladder climb to each level (the highest cause wins at once). */
function climb(level: number, p: FleetPolicies): string {
  const w = p.watermark;
  switch (level) {
    case 1:
      return `a buffer ≥ ${w.degradePct} %`;
    case 2:
      return `a buffer ≥ ${w.breakPct} % for ${w.breakHoldS} s (stage broken)`;
    default:
      return `${w.routeSwitchMinBrokenStages} stages broken, or ${w.ingress.timeoutsToIsolate} ingress write timeouts > ${w.ingress.writeTimeoutMs} ms`;
  }
}

const ROLLOUT_SHORT: Record<string, string> = {
  'pending>progressing': 'start',
  'progressing>paused': 'held or paused',
  'paused>paused': 'reason changed',
  'paused>progressing': 'resumed or promoted',
  'progressing>progressing': 'step done',
  'progressing>promoting': 'last step / promote-full',
  'paused>promoting': 'promote-full',
  'promoting>succeeded': '100 % canary applied',
  'progressing>aborted': 'abort, failed, rejected',
  'paused>aborted': 'abort, failed, rejected',
  'promoting>aborted': 'aborted',
  'aborted>rolled_back': '100 % stable applied',
  'rolled_back>progressing': 'retry',
};

const EXPERIMENT_SHORT: Record<string, string> = {
  'pending>injecting': 'checks passed',
  'pending>recovering': 'refused or aborted',
  'pending>skipped': 'schedule refused',
  'injecting>running': 'faults confirmed',
  'injecting>recovering': 'aborted or refused',
  'running>recovering': 'duration over or abort',
  'recovering>recovering': 'abort recorded',
  'recovering>completed': 'faults gone, observed',
  'recovering>aborted': 'faults gone, after abort',
  'recovering>failed': 'fault not removed',
};

/** Rows with the same from and to become one edge with both triggers (the log counts states). */
function edgesOf(rows: ReadonlyArray<{ from: string; to: string; event: string; trigger: string }>, short: Record<string, string>): DiagramEdge[] {
  const edges = new Map<string, DiagramEdge>();
  for (const t of rows) {
    const id = `${t.from}>${t.to}`;
    const seen = edges.get(id);
    if (seen) seen.trigger = `${seen.trigger}; or ${t.trigger}`;
    else edges.set(id, { id, from: t.from, to: t.to, trigger: t.trigger, short: short[id] ?? t.event });
  }
  return [...edges.values()];
}

/**
 * The chaos run machine from its transition table (server/domain/experiments/machine.ts); the run
 * log (ExperimentRunEvent, kind `state`) records states, so edges are (from, to) pairs.
 */
export function experimentDiagram(): MachineDiagram {
  return { machine: 'experiment', title: 'Chaos experiment run', states: RUN_STATES.map((s) => ({ id: s, label: RUN_STATE_LABELS[s] })), edges: edgesOf(RUN_TRANSITIONS, EXPERIMENT_SHORT) };
}

/**
 * The rollout machine from its transition table. Rows with the same from and to (paused →
 * progressing by resume or by promote) are one edge: the transition log (RolloutEvent, kind
 * `state`) records states, not events, and counts by them.
 */
export function rolloutDiagram(): MachineDiagram {
  return { machine: 'rollout', title: 'Canary rollout', states: ROLLOUT_STATES.map((s) => ({ id: s, label: STATE_LABELS[s] })), edges: edgesOf(ROLLOUT_TRANSITIONS, ROLLOUT_SHORT) };
}

export function machineDiagram(machine: MachineName, p: FleetPolicies): MachineDiagram {
  if (machine === 'rollout') return rolloutDiagram();
  if (machine === 'experiment') return experimentDiagram();
  if (machine === 'stage') {
    return {
      machine,
      title: 'Stage (each of access, ratelimit, routing, state, execution)',
      states: ['idle', 'active', 'blocked'].map((s) => ({ id: s, label: s[0]!.toUpperCase() + s.slice(1) })),
      edges: STAGE_TRANSITIONS.map((r) => ({ id: `${r.from}>${r.to}`, from: r.from, to: r.to, trigger: STAGE_TRIGGER[`${r.from}>${r.to}`] ?? r.cause, short: STAGE_SHORT[`${r.from}>${r.to}`] ?? r.cause })),
    };
  }
  if (machine === 'degradation') {
    const edges: DiagramEdge[] = [];
    const L = (i: number): string => LEVEL_NAMES[i] ?? `L${i}`;
    for (let from = 0; from < 4; from++) {
      for (let to = from + 1; to < 4; to++) edges.push({ id: `${L(from)}>${L(to)}`, from: L(from), to: L(to), trigger: climb(to, p), short: climbShort(to, p) });
      if (from > 0) edges.push({ id: `${L(from)}>${L(from - 1)}`, from: L(from), to: L(from - 1), trigger: `cause below ${L(from)} for ${p.watermark.stepDownHoldS} s (one level at a time)`, short: `calm ${p.watermark.stepDownHoldS} s` });
    }
    return { machine, title: 'Degradation ladder', states: LEVEL_NAMES.map((l, i) => ({ id: l, label: `${l} ${LEVEL_LABELS[i]}` })), edges };
  }
  const b = p.breaker;
  const trigger: Record<string, string> = {
    'closed>open': `rt > ${b.factor} × EWMA threshold (α ${b.alpha}) and in flight > ${Math.round(b.concurrencyFraction * 100)} % of max concurrency; under ${b.minSamples} samples in ${b.windowS} s: error ratio > ${Math.round(b.staticErrorRatio * 100)} %`,
    'open>half-open': `after a ${b.coolDownS} s cool-down`,
    'half-open>closed': `${b.halfOpenProbes} probe requests succeed`,
    'half-open>open': 'a probe fails (rt or error ratio)',
  };
  const short: Record<string, string> = {
    'closed>open': `rt > ${b.factor}× EWMA`,
    'open>half-open': `${b.coolDownS} s cool-down`,
    'half-open>closed': `${b.halfOpenProbes} probes ok`,
    'half-open>open': 'probe fails',
  };
  return {
    machine,
    title: 'Circuit breaker',
    states: ['closed', 'open', 'half-open'].map((s) => ({ id: s, label: s })),
    edges: BREAKER_TRANSITIONS.map((r) => ({ id: `${r.from}>${r.to}`, from: r.from, to: r.to, trigger: trigger[`${r.from}>${r.to}`] ?? '', short: short[`${r.from}>${r.to}`] ?? '' })),
  };
}
