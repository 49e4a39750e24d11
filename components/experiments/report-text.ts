// The per-layer report (server/domain/experiments/report.ts RunReport) in words for the page. The
// Markdown download is the server's (experiments.report format markdown: the domain's
// reportMarkdown), so the page and the file cannot drift apart. Pure; unit-tested.
import type { LayerReport } from './contract';

export const LEVELS = ['L0', 'L1', 'L2', 'L3'] as const;

/** "99.97 % (target 99.9 %)"; "no traffic" when the layer saw no request during the fault (never 0). */
export function availabilityText(l: Pick<LayerReport, 'availabilityPct' | 'targetPct'>): string {
  const a = l.availabilityPct;
  if (a === null || !Number.isFinite(a)) return 'no traffic';
  return `${Math.round(a * 100) / 100} % (target ${l.targetPct} %)`;
}

export function levelText(level: number | null): string {
  return level === null ? '—' : (LEVELS[level] ?? `L${level}`);
}

/** "12 s", or the report's own words ("did not self-heal within 120 s", "no traffic after removal …"). */
export function selfHealCell(l: Pick<LayerReport, 'selfHealS' | 'selfHealWords'>): string {
  return l.selfHealS === null ? l.selfHealWords : `${Math.round(l.selfHealS * 10) / 10} s`;
}

/** Every layer met the availability target and self-healed. */
export function reportVerdict(layers: readonly Pick<LayerReport, 'meetsTarget' | 'selfHealS'>[]): 'met' | 'missed' | null {
  if (layers.length === 0) return null;
  return layers.every((l) => l.meetsTarget !== false && l.selfHealS !== null) ? 'met' : 'missed';
}

/** A run's recovery verdict from its targets' states (runs.list targetStates) and its state. */
export function recoveryVerdict(states: Record<string, number>, runState: string): 'recovered' | 'not-recovered' | 'not-injected' | 'in-progress' {
  if ((states.could_not_recover ?? 0) > 0 || runState === 'failed') return 'not-recovered';
  if (runState !== 'completed' && runState !== 'aborted' && runState !== 'skipped') return 'in-progress';
  return (states.recovered ?? 0) > 0 ? 'recovered' : 'not-injected';
}
