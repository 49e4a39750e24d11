// Experiments as an SRE reads them: states, faults, targets and conditions in words. Pure; unit-tested.
import type { Tone } from '@/components/ui/badge';
import type { Condition, ExperimentSpec, FaultSpecValue, Selection, TargetSelector } from '@/server/domain/experiments/spec';
import { RUN_ABORT_REASON_LABELS, RUN_STATE_LABELS, type RunAbortReason, type RunState } from '@/server/domain/experiments/machine';

export function runStateTone(s: RunState): Tone {
  switch (s) {
    case 'completed':
      return 'success';
    case 'aborted':
    case 'skipped':
      return 'warning';
    case 'failed':
      return 'danger';
    case 'pending':
      return 'neutral';
    default:
      return 'info';
  }
}

/** "Aborted — an abort condition fired: P99 412 ms above 250 ms" */
function stripStateWord(detail: string): string {
  const m = /^(\w+):\s*/.exec(detail);
  const labels: readonly string[] = Object.values(RUN_STATE_LABELS);
  return m && labels.includes(m[1]!) ? detail.slice(m[0].length) : detail;
}

export function runStateText(r: { state: RunState; abortReason: RunAbortReason | null; stateDetail: string | null }): string {
  const base = RUN_STATE_LABELS[r.state];
  const why = r.abortReason ? RUN_ABORT_REASON_LABELS[r.abortReason] : null;
  // The controller's detail often opens with a state ("Aborted: P99 …", "Running: delay
  // confirmed …"), which the badge says already: said once is enough.
  const detail = r.stateDetail ? stripStateWord(r.stateDetail) : null;
  const parts = [why, detail].filter((p): p is string => Boolean(p));
  return parts.length ? `${base} — ${parts.join(': ')}` : base;
}

export const FAULT_LABELS: Record<FaultSpecValue['kind'], string> = {
  delay: 'Delay with jitter',
  loss: 'Packet loss',
  'http-error': 'HTTP errors',
  kill: 'Kill instance',
  drain: 'Drain instance',
  'cpu-stress': 'CPU stress',
  'buffer-saturation': 'Buffer saturation',
};

export function faultText(f: FaultSpecValue): string {
  switch (f.kind) {
    case 'delay':
      return `delay ${f.delayMs} ms ± ${f.jitterMs} ms (normal)`;
    case 'loss':
      return `${f.pct} % packet loss`;
    case 'http-error':
      return `HTTP ${f.status} on ${f.pct} % of requests`;
    case 'kill':
      return 'instance killed';
    case 'drain':
      return 'instance drained';
    case 'cpu-stress':
      return `CPU stress ${f.pct} %`;
    case 'buffer-saturation':
      return `${f.stage} buffer held at ${f.fillPct} %`;
  }
}

export const SELECTION_LABELS: Record<Selection['mode'], string> = {
  all: 'All matching instances',
  one: 'One instance',
  count: 'A fixed number',
  percent: 'A fixed percentage',
  'random-up-to': 'A random number, up to a percentage',
};

export function selectionText(s: Selection): string {
  switch (s.mode) {
    case 'all':
      return 'every instance';
    case 'one':
      return 'one instance';
    case 'count':
      return `${s.count} instance${s.count === 1 ? '' : 's'}`;
    case 'percent':
      return `${s.pct} %`;
    case 'random-up-to':
      return `random, up to ${s.pct} %`;
  }
}

export function targetsText(t: TargetSelector): string {
  const parts: string[] = [];
  if (t.services.length) parts.push(t.services.join(', '));
  if (t.versions.length) parts.push(`version ${t.versions.join(', ')}`);
  if (t.regions.length) parts.push(`in ${t.regions.join(', ')}`);
  if (t.zones.length) parts.push(`zone ${t.zones.join(', ')}`);
  if (t.clusters.length) parts.push(`cluster ${t.clusters.join(', ')}`);
  const labels = Object.entries(t.labels);
  if (labels.length) parts.push(labels.map(([k, v]) => `${k}=${v}`).join(', '));
  return parts.length ? parts.join(' · ') : 'every instance';
}

export function specSummary(s: ExperimentSpec): string {
  return `${faultText(s.fault)} on ${selectionText(s.selection)} of ${targetsText(s.targets)} for ${durationText(s.durationS)}`;
}

export function durationText(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round((s / 60) * 10) / 10} min`;
  return `${Math.round((s / 3600) * 10) / 10} h`;
}

export const CONDITION_LABELS: Record<Condition['kind'], string> = {
  'availability-below': 'Availability below',
  'p99-above': 'P99 above',
  'breakers-open-above': 'Open breakers above',
  'degraded-at-least': 'Instances at L2+ at least',
};

export function conditionText(c: Condition): string {
  switch (c.kind) {
    case 'availability-below':
      return `availability below ${c.pct} % over ${c.windowS} s`;
    case 'p99-above':
      return `P99 above ${c.ms} ms over ${c.windowS} s`;
    case 'breakers-open-above':
      return `more than ${c.count} breakers open`;
    case 'degraded-at-least':
      return `${c.count} or more instances at L2+`;
  }
}

/** The condition's threshold and a live value in its unit. */
export function conditionValueText(c: Condition, v: number | null): { value: string; threshold: string } {
  const show = (x: number | null, unit: string) => (x === null || !Number.isFinite(x) ? '—' : `${Math.round(x * 100) / 100}${unit}`);
  switch (c.kind) {
    case 'availability-below':
      return { value: show(v, ' %'), threshold: `< ${c.pct} %` };
    case 'p99-above':
      return { value: show(v, ' ms'), threshold: `> ${c.ms} ms` };
    case 'breakers-open-above':
      return { value: show(v, ''), threshold: `> ${c.count}` };
    case 'degraded-at-least':
      return { value: show(v, ''), threshold: `≥ ${c.count}` };
  }
}

/** "+182 ms" / "−3 ms" / "—" */
export function deltaMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const r = Math.round(v);
  return r >= 0 ? `+${r} ms` : `−${Math.abs(r)} ms`;
}

export function selfHealText(s: number | null): string {
  return s === null ? 'did not self-heal' : `${Math.round(s)} s`;
}

export function ageText(at: string | Date | null | undefined, now: number): string {
  if (!at) return '—';
  const s = Math.max(0, Math.round((now - new Date(at).getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
