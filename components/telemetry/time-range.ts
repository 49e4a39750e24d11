// The time range of a service or instance page lives in the URL, so a colleague opening the link
// sees the same view: ?range=live|1h|24h, or ?from=&to= (ISO times or epoch ms). Pure, unit-tested.

export type RangeChoice = { kind: 'live' } | { kind: 'last'; key: '1h' | '24h' } | { kind: 'custom'; from: number; to: number };

/** The live window: what a live chart shows and what a reconnect replays. */
export const LIVE_WINDOW_S = 300;
const LAST_S = { '1h': 3600, '24h': 86400 } as const;
const MAX_SPAN_MS = 31 * 86400_000;

interface ParamsLike {
  get(name: string): string | null;
}

/** Epoch ms from "1763800000000" or an ISO time; null when neither. */
export function parseTime(v: string | null): number | null {
  if (!v) return null;
  const s = v.trim();
  if (/^\d{9,}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

export function rangeFromParams(params: ParamsLike): RangeChoice {
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (from !== null && to !== null && to > from && to - from <= MAX_SPAN_MS) return { kind: 'custom', from, to };
  const r = params.get('range');
  if (r === '1h' || r === '24h') return { kind: 'last', key: r };
  return { kind: 'live' };
}

/** The query string of a range, keeping the page's other parameters (sort, filters). */
export function rangeToQuery(r: RangeChoice, keep?: URLSearchParams): string {
  const p = new URLSearchParams(keep);
  p.delete('range');
  p.delete('from');
  p.delete('to');
  if (r.kind === 'custom') {
    p.set('from', new Date(r.from).toISOString());
    p.set('to', new Date(r.to).toISOString());
  } else {
    p.set('range', r.kind === 'live' ? 'live' : r.key);
  }
  return `?${p.toString()}`;
}

/** The API's range input; a relative range resolves on the server, so query keys stay stable. */
export function rangeInputOf(r: RangeChoice): { lastS: number } | { from: number; to: number } {
  if (r.kind === 'custom') return { from: r.from, to: r.to };
  return { lastS: r.kind === 'live' ? LIVE_WINDOW_S : LAST_S[r.key] };
}

export function rangeLabel(r: RangeChoice): string {
  if (r.kind === 'live') return 'Live (last 5 min)';
  if (r.kind === 'last') return r.key === '1h' ? 'Last hour' : 'Last 24 hours';
  return 'Custom range';
}

/** Why a custom range cannot be applied, or null when it can. */
export function customRangeError(from: number | null, to: number | null, now = Date.now()): string | null {
  if (from === null || to === null) return 'Enter both a start and an end.';
  if (to <= from) return 'The end must be after the start.';
  if (to - from > MAX_SPAN_MS) return 'Pick a range of at most 31 days.';
  if (from > now) return 'The start is in the future.';
  return null;
}
