// The per-layer SLA report of a chaos run (SPEC §3.7, §6.4), shaped like the seed's "SLA under
// network jitter" table: for every layer P50/P90/P99 during the fault minus the baseline before it,
// availability during the fault against the target, time to self-heal after removal (or "did not
// self-heal" within the observation window), the highest degradation level and the breaker trips.
//
// Quantiles come from merged histograms (bucket counts add exactly), never from averaging
// percentiles. Pure and deterministic: the same telemetry gives the same report, so the stored
// JSON, the Markdown export and the page agree. Missing data is said in words, never shown as 0.
import { mergeBuckets, quantilesOf } from '../latency-buckets';
import { availabilityOf, fmtAvailability, fmtMs, quantileOfTicks, type ConditionTick } from './conditions';
import type { ExperimentSpec } from './spec';

export interface ReportLayerInput {
  layer: string;
  services: string[];
  /** Per tick, summed over the layer's services (`at` = end of the tick). */
  ticks: ConditionTick[];
  /** Highest degradation level among the layer's instances per tick. */
  levels: Array<{ at: number; maxLevel: number }>;
  /** One entry per breaker that went closed → open (or half-open → open). */
  breakerTrips: Array<{ at: number }>;
}

export interface TimeRange {
  from: number;
  to: number;
}

export interface ReportInput {
  spec: ExperimentSpec;
  layers: ReportLayerInput[];
  baseline: TimeRange;
  /** From injection confirmed to faults confirmed removed. */
  fault: TimeRange;
  /** End of the observation window after removal. */
  observeUntil: number;
  /** Stamped on the report; defaults to observeUntil so the report stays a function of its input. */
  generatedAt?: number;
}

export interface Quantiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface SeriesPoint {
  at: number;
  p99: number | null;
  availabilityPct: number | null;
  requests: number;
}

export interface LayerReport {
  layer: string;
  services: string[];
  baseline: Quantiles;
  during: Quantiles;
  /** during − baseline in ms; null when either side has no histogram. */
  delta: Quantiles;
  baselineAvailabilityPct: number | null;
  /** The evidence behind the figures: requests seen in each window. */
  requests: { baseline: number; during: number; after: number };
  /** Availability during the fault in %; null = no traffic. */
  availabilityPct: number | null;
  targetPct: number;
  meetsTarget: boolean | null;
  /** Seconds from removal to the first of HEAL_TICKS judged ticks that, merged, are healthy; null = did not (see selfHealWords). */
  selfHealS: number | null;
  selfHealWords: string;
  /** Highest level from injection to the end of observation; null = none reported. */
  maxLevel: number | null;
  breakerTrips: number;
  /** Missing data, in words. */
  notes: string[];
  /** P99 and availability over baseline, fault and observation, for the charts (at most SERIES_POINTS). */
  series: SeriesPoint[];
}

export interface RunReport {
  layers: LayerReport[];
  summary: string;
  generatedAt: number;
  targetPct: number;
  baseline: TimeRange;
  fault: TimeRange;
  observeUntil: number;
}

/** Self-heal: P99 back within this factor and margin of the baseline P99 … */
export const HEAL_P99_FACTOR = 1.2;
export const HEAL_P99_MARGIN_MS = 5;
/**
 * … and availability back to the target, or to the baseline's less this many points when the layer
 * was below the target before the fault (it cannot "heal" above where it was) …
 */
export const HEAL_AVAILABILITY_MARGIN_PCT = 0.1;
/** … over this many judged ticks merged (one tick's few requests are noise, not evidence). */
export const HEAL_TICKS = 3;
export const SERIES_POINTS = 240;

/** The seed's layers top-down; any other layer (a service without the label) after them by name. */
const LAYER_ORDER = ['access', 'service', 'data'];

const inRange = (at: number, from: number, to: number) => at > from && at <= to;
const round1 = (x: number) => Math.round(x * 10) / 10;

function quantiles(ticks: readonly ConditionTick[]): Quantiles {
  return quantilesOf(mergeBuckets(ticks.map((t) => t.buckets)));
}

function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : round1(a - b);
}

const sum = (ts: readonly ConditionTick[]) => ts.reduce((s, t) => s + t.requests, 0);
const histogramCount = (t: ConditionTick) => t.buckets.reduce((s, c) => s + c, 0);

/** The availability a layer must be back to: the target, or its own baseline less a margin when that is lower. */
export function healAvailabilityPct(target: number, baselinePct: number | null): number {
  return baselinePct === null ? target : Math.min(target, baselinePct - HEAL_AVAILABILITY_MARGIN_PCT);
}

function selfHeal(after: readonly ConditionTick[], baselineP99: number | null, bar: number, removedAt: number, observeS: number): { s: number | null; words: string } {
  const limit = baselineP99 === null ? null : baselineP99 * HEAL_P99_FACTOR + HEAL_P99_MARGIN_MS;
  const window: ConditionTick[] = [];
  let judged = 0;
  for (const t of after) {
    // A quiet tick (or one without a histogram where latency is judged) is no evidence either way.
    if (t.requests <= 0 || (limit !== null && histogramCount(t) === 0)) continue;
    judged++;
    window.push(t);
    if (window.length > HEAL_TICKS) window.shift();
    if (window.length < HEAL_TICKS) continue;
    // The window's histograms and counts merged: healed when the merged P99 and availability are back.
    const p99 = quantileOfTicks(window, 0.99);
    if (availabilityOf(window)! >= bar && (limit === null || (p99 !== null && p99 <= limit))) {
      const s = round1(Math.max(0, (window[0]!.at - removedAt) / 1000));
      return { s, words: `self-healed in ${s} s` };
    }
  }
  if (judged === 0) return { s: null, words: `no traffic after removal (self-heal not judged within ${observeS} s)` };
  return { s: null, words: `did not self-heal within ${observeS} s` };
}

function series(ticks: readonly ConditionTick[], from: number, to: number): SeriesPoint[] {
  const inside = ticks.filter((t) => inRange(t.at, from, to));
  if (inside.length === 0) return [];
  // Ticks are merged into equal time slots so a day-long run still stores a few hundred points.
  const slotMs = Math.max(1, Math.ceil((to - from) / SERIES_POINTS));
  const slots = new Map<number, ConditionTick[]>();
  for (const t of inside) {
    const k = Math.min(SERIES_POINTS - 1, Math.floor((t.at - from - 1) / slotMs));
    const g = slots.get(k);
    if (g) g.push(t);
    else slots.set(k, [t]);
  }
  return [...slots.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, g]) => {
      const p99 = quantileOfTicks(g, 0.99);
      const av = availabilityOf(g);
      return { at: g[g.length - 1]!.at, p99: p99 === null ? null : round1(p99), availabilityPct: av === null ? null : Math.round(av * 1000) / 1000, requests: g.reduce((s, t) => s + t.requests, 0) };
    });
}

function layerReport(l: ReportLayerInput, input: ReportInput): LayerReport {
  const { baseline: b, fault: f, observeUntil } = input;
  const target = input.spec.availabilityTargetPct;
  const ticks = [...l.ticks].sort((x, y) => x.at - y.at);
  const base = ticks.filter((t) => inRange(t.at, b.from, b.to));
  const during = ticks.filter((t) => inRange(t.at, f.from, f.to));
  const after = ticks.filter((t) => inRange(t.at, f.to, observeUntil));
  const bq = quantiles(base);
  const dq = quantiles(during);
  const round = (q: Quantiles): Quantiles => ({ p50: q.p50 === null ? null : round1(q.p50), p90: q.p90 === null ? null : round1(q.p90), p99: q.p99 === null ? null : round1(q.p99) });
  const availability = availabilityOf(during);
  const notes: string[] = [];
  if (availabilityOf(base) === null) notes.push('no traffic in the baseline window');
  else if (bq.p99 === null) notes.push('no latency histogram in the baseline window: deltas not measured');
  if (availability === null) notes.push('no traffic during the fault');
  else if (dq.p99 === null) notes.push('no latency histogram during the fault: deltas not measured');
  if (bq.p99 === null && after.some((t) => histogramCount(t) > 0)) notes.push('self-heal judged on availability only (no baseline P99)');
  const observeS = Math.round((observeUntil - f.to) / 1000);
  const baseAvailability = availabilityOf(base);
  const bar = healAvailabilityPct(target, baseAvailability);
  if (bar < target) notes.push(`below the ${target} % target before the fault (${fmtAvailability(baseAvailability!)} %): self-heal judged against ${fmtAvailability(bar, HEAL_AVAILABILITY_MARGIN_PCT)} %`);
  const heal = selfHeal(after, bq.p99, bar, f.to, observeS);
  const levels = l.levels.filter((x) => inRange(x.at, f.from, observeUntil));
  if (levels.length === 0) notes.push('no degradation level reported');
  return {
    layer: l.layer,
    services: [...l.services].sort(),
    baseline: round(bq),
    during: round(dq),
    delta: { p50: minus(dq.p50, bq.p50), p90: minus(dq.p90, bq.p90), p99: minus(dq.p99, bq.p99) },
    baselineAvailabilityPct: baseAvailability,
    requests: { baseline: sum(base), during: sum(during), after: sum(after) },
    availabilityPct: availability,
    targetPct: target,
    meetsTarget: availability === null ? null : availability >= target,
    selfHealS: heal.s,
    selfHealWords: heal.words,
    maxLevel: levels.length === 0 ? null : Math.max(...levels.map((x) => x.maxLevel)),
    breakerTrips: l.breakerTrips.filter((x) => inRange(x.at, f.from, observeUntil)).length,
    notes,
    series: series(ticks, b.from, observeUntil),
  };
}

function layerRank(layer: string): number {
  const i = LAYER_ORDER.indexOf(layer);
  return i === -1 ? LAYER_ORDER.length : i;
}

/**
 * The report. Also usable before the observation window is over: with observeUntil = now, every
 * layer's selfHealS !== null means the run may end its observation early.
 */
export function buildRunReport(input: ReportInput): RunReport {
  const layers = input.layers
    .map((l) => layerReport(l, input))
    .sort((a, b) => layerRank(a.layer) - layerRank(b.layer) || (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : 0));
  const target = input.spec.availabilityTargetPct;
  return {
    layers,
    summary: summarise(layers, target, Math.round((input.observeUntil - input.fault.to) / 1000)),
    generatedAt: input.generatedAt ?? input.observeUntil,
    targetPct: target,
    baseline: input.baseline,
    fault: input.fault,
    observeUntil: input.observeUntil,
  };
}

function summarise(layers: readonly LayerReport[], target: number, observeS: number): string {
  if (layers.length === 0) return 'No layer reported telemetry for this run: nothing to compare.';
  const parts: string[] = [];
  const judged = layers.filter((l) => l.meetsTarget !== null);
  const met = judged.filter((l) => l.meetsTarget);
  parts.push(judged.length === 0 ? 'no layer had traffic during the fault' : `${met.length} of ${judged.length} layers met the ${target} % availability target during the fault`);
  const rises = layers.filter((l) => l.delta.p99 !== null).sort((a, b) => b.delta.p99! - a.delta.p99!);
  if (rises.length > 0) parts.push(`the largest P99 change was ${signedMs(rises[0]!.delta.p99!)} (${rises[0]!.layer})`);
  const stuck = layers.filter((l) => l.selfHealS === null);
  if (stuck.length === 0) parts.push(`every layer self-healed within ${Math.max(...layers.map((l) => l.selfHealS!))} s`);
  else parts.push(`${stuck.map((l) => l.layer).join(', ')} did not self-heal within ${observeS} s`);
  const s = parts.join('; ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

export function signedMs(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(Math.round(ms))} ms`;
}

function deltaCell(d: number | null, base: number | null, during: number | null): string {
  if (d === null) return 'no data';
  return `${signedMs(d)} (${fmtMs(base!)} → ${fmtMs(during!)})`;
}

function availabilityCell(l: LayerReport): string {
  if (l.availabilityPct === null) return 'no traffic';
  return `${fmtAvailability(l.availabilityPct, l.targetPct)} % ${l.meetsTarget ? '✓ meets' : '✗ below'} ${l.targetPct} %`;
}

/** A Markdown cell: no line breaks, pipes escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** The report as a Markdown table (the seed's "SLA under network jitter" shape) plus the summary. */
export function reportMarkdown(report: RunReport, title: string): string {
  const head = ['Layer', 'P50 Δ', 'P90 Δ', 'P99 Δ', 'Availability', 'Self-heal', 'Max level', 'Breaker trips'];
  const rows = report.layers.map((l) => [
    `${l.layer}${l.services.length > 0 ? ` (${l.services.join(', ')})` : ''}`,
    deltaCell(l.delta.p50, l.baseline.p50, l.during.p50),
    deltaCell(l.delta.p90, l.baseline.p90, l.during.p90),
    deltaCell(l.delta.p99, l.baseline.p99, l.during.p99),
    availabilityCell(l),
    l.selfHealS === null ? l.selfHealWords : `${l.selfHealS} s`,
    l.maxLevel === null ? '—' : `L${l.maxLevel}`,
    String(l.breakerTrips),
  ]);
  const line = (xs: readonly string[]) => `| ${xs.map(cell).join(' | ')} |`;
  const notes = report.layers.flatMap((l) => l.notes.map((n) => `- ${cell(l.layer)}: ${cell(n)}`));
  return [
    `## ${cell(title)}`,
    '',
    line(head),
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(line),
    '',
    cell(report.summary),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}
