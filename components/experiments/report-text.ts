// The per-layer report as the seed's "SLA under network jitter" table: in words for the page and
// as Markdown for the download. Pure; unit-tested.
import type { LayerReport } from './contract';
import { deltaMs, selfHealText } from './words';

export const LEVELS = ['L0', 'L1', 'L2', 'L3'] as const;

export function availabilityText(l: Pick<LayerReport, 'fault' | 'availabilityTargetPct'>): string {
  const a = l.fault.availabilityPct;
  if (a === null || !Number.isFinite(a)) return '—';
  return `${Math.round(a * 100) / 100} % (target ${l.availabilityTargetPct} %)`;
}

export function levelText(level: number | null): string {
  return level === null ? '—' : (LEVELS[level] ?? `L${level}`);
}

/** Every layer met the availability target and self-healed. */
export function reportVerdict(layers: readonly LayerReport[]): 'met' | 'missed' | null {
  if (layers.length === 0) return null;
  return layers.every((l) => l.metTarget !== false && l.selfHealS !== null) ? 'met' : 'missed';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(run: { experimentName: string; number: number; fault: string; targets: string; state: string }, layers: readonly LayerReport[]): string {
  const lines = [
    `# ${cell(run.experimentName)} — run #${run.number}`,
    '',
    `- Fault: ${cell(run.fault)}`,
    `- Targets: ${cell(run.targets)}`,
    `- Outcome: ${cell(run.state)}`,
    '',
    '| Layer | P50 Δ | P90 Δ | P99 Δ | Availability | Self-heal | Max level | Breaker trips |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...layers.map((l) => `| ${cell(l.layer)} | ${deltaMs(l.delta.p50)} | ${deltaMs(l.delta.p90)} | ${deltaMs(l.delta.p99)} | ${availabilityText(l)}${l.metTarget === false ? ' ✗' : l.metTarget ? ' ✓' : ''} | ${selfHealText(l.selfHealS)} | ${levelText(l.maxLevel)} | ${l.breakerTrips} |`),
    '',
  ];
  return lines.join('\n');
}

/** A run's recovery verdict from its targets' states (runs.list targetStates) and its state. */
export function recoveryVerdict(states: Record<string, number>, runState: string): 'recovered' | 'not-recovered' | 'not-injected' | 'in-progress' {
  if ((states.could_not_recover ?? 0) > 0 || runState === 'failed') return 'not-recovered';
  if (runState !== 'completed' && runState !== 'aborted' && runState !== 'skipped') return 'in-progress';
  return (states.recovered ?? 0) > 0 ? 'recovered' : 'not-injected';
}
