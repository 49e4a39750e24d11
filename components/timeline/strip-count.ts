// The strip's count line in words (pure; strip-count.test.ts). The cap is shared among kinds, so
// at 10,000 instances weight recomputes fill their share within the newest seconds of the range
// while the other lanes span all of it: a lane cut short says so, with the time it still covers.

export interface StripPage {
  events: ReadonlyArray<{ kind: string; at: number }>;
  total: number;
  truncated: boolean;
  totals: Partial<Record<string, number>>;
}

const count = (n: number) => n.toLocaleString('en-US');

/** "20 s", "4 min", "3 h": how far back from the range's end a cut lane reaches. */
export function spanWords(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** "2,000 of 105,555 events; weight recomputes: the newest 500 only (last 20 s)". */
export function stripCountWords(page: StripPage, to: number, lanes: ReadonlyArray<{ kind: string; label: string }>): string {
  const n = page.events.length;
  if (!page.truncated) return `${count(n)} event${n === 1 ? '' : 's'}`;
  const cut: string[] = [];
  for (const lane of lanes) {
    const mine = page.events.filter((e) => e.kind === lane.kind);
    const all = page.totals[lane.kind] ?? 0;
    if (!mine.length || mine.length >= all) continue;
    const oldest = Math.min(...mine.map((e) => e.at));
    cut.push(`${lane.label.toLowerCase()}: the newest ${count(mine.length)} of ${count(all)} only (last ${spanWords(to - oldest)})`);
  }
  return [`${count(n)} of ${count(page.total)} events`, ...cut].join('; ');
}
