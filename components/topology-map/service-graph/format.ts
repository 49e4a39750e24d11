// Words and figures of the service graph (pure): what a node and an edge say, and the node's
// accessible name. Shared by the canvas, the side panel and their tests.
import { versionSplitText, type GraphEdge, type GraphNode } from '@/server/domain/topology/service-graph';
import { count } from '@/server/domain/topology/service-health';

export { versionSplitText };

export function formatRps(rps: number): string {
  if (rps >= 1000) return `${(rps / 1000).toFixed(rps >= 10_000 ? 0 : 1)}k req/s`;
  return `${rps >= 10 ? Math.round(rps) : Math.round(rps * 10) / 10} req/s`;
}

export function formatPercent(p: number | null): string {
  if (p === null) return '–';
  if (p === 0) return '0 %';
  if (p < 0.1) return '< 0.1 %';
  return `${p >= 10 ? Math.round(p) : Math.round(p * 10) / 10} %`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/** "180 req/s · 5 % err · P95 40 ms", or what is missing. */
export function nodeFigures(n: GraphNode): string {
  if (!n.hasTelemetry) return 'no telemetry yet';
  return `${formatRps(n.rps)} · ${formatPercent(n.errorPercent)} err · P95 ${formatMs(n.p95Ms)}`;
}

/** The node's figures on two lines (a node is 250 px wide): rate and errors, then P95. */
export function nodeFigureLines(n: GraphNode): [string, string] {
  if (!n.hasTelemetry) return ['no telemetry yet', ''];
  return [`${formatRps(n.rps)} · ${formatPercent(n.errorPercent)} err`, `P95 ${formatMs(n.p95Ms)}`];
}

export interface Mark {
  key: string;
  text: string;
  /** The mark in words (tooltip and accessible name). */
  words: string;
  tone: 'warning' | 'danger' | 'info';
}

/** The node's badges: degradation, breakers, backpressure, faults, rollout. */
export function nodeMarks(n: GraphNode): Mark[] {
  const marks: Mark[] = [];
  const deg = n.maxDegradation ?? 0;
  if (deg > 0) marks.push({ key: 'deg', text: `L${deg}`, words: `degradation up to L${deg} on ${count(n.degraded)} of ${count(n.instances)} instances`, tone: deg >= 2 ? 'danger' : 'warning' });
  if (n.openBreakers > 0) marks.push({ key: 'open', text: `${n.openBreakers} open`, words: `${n.openBreakers} circuit breaker${n.openBreakers === 1 ? '' : 's'} open`, tone: 'danger' });
  if (n.halfOpenBreakers > 0) marks.push({ key: 'half', text: `${n.halfOpenBreakers} half-open`, words: `${n.halfOpenBreakers} circuit breaker${n.halfOpenBreakers === 1 ? '' : 's'} half-open`, tone: 'warning' });
  if (n.backpressured > 0) marks.push({ key: 'bp', text: `${n.backpressured} backpressure`, words: `${n.backpressured} instance${n.backpressured === 1 ? '' : 's'} with a stage at least 85 % full`, tone: 'warning' });
  if (n.faults.instances > 0) marks.push({ key: 'fault', text: `fault ${n.faults.kinds.join(', ')}`, words: `injected faults (${n.faults.kinds.join(', ')}) on ${n.faults.instances} instance${n.faults.instances === 1 ? '' : 's'} by ${n.faults.experiments.join(', ')}`, tone: 'warning' });
  if (n.rollout) {
    const share = n.rollout.canaryShare === null ? '' : ` ${formatPercent(n.rollout.canaryShare * 100)}`;
    marks.push({ key: 'rollout', text: `canary ${n.rollout.canaryVersion}${share}`, words: `rollout ${n.rollout.name} (${n.rollout.state}): canary ${n.rollout.canaryVersion}${share} of requests`, tone: 'info' });
  }
  return marks;
}

export const HEALTH_WORDS = { ok: 'healthy', warn: 'warning', bad: 'unhealthy' } as const;

/** The node's status line: "warning · 1 of 2,502 degraded", "healthy · 4 of 4 up" (the rule: service-health.ts). */
export function nodeStatus(n: GraphNode): string {
  if (!n.hasTelemetry) return `${count(n.instances)} instances`;
  return `${HEALTH_WORDS[n.health]} · ${n.headline}`;
}

export function nodeAriaLabel(n: GraphNode): string {
  const parts = [`${n.name}${n.layer ? ` (${n.layer} layer)` : ''}`, HEALTH_WORDS[n.health], nodeFigures(n), `${count(n.up)} of ${count(n.instances)} instances up`];
  if (n.reasons.length) parts.push(n.reasons.join(', '));
  for (const m of nodeMarks(n)) if (m.key === 'rollout') parts.push(m.words);
  return parts.join('; ');
}

/** The edge's first line: "180 req/s · 5 % err · P95 40 ms". */
export function edgeFigures(e: GraphEdge): string {
  return `${formatRps(e.rps)} · ${formatPercent(e.errorPercent)} err · P95 ${formatMs(e.p95Ms)}`;
}
