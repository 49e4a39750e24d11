// The audit view's filters live in the URL so a link brings a colleague to the same view.
// Pure: (URL search params) ⇄ (filters) ⇄ (list input).

export interface AuditFilters {
  actor: string;
  action: string;
  targetType: string;
  q: string;
}

export const EMPTY_FILTERS: AuditFilters = { actor: '', action: '', targetType: '', q: '' };

/** URL parameter name of each filter (short, readable in a shared link). */
const PARAM: Record<keyof AuditFilters, string> = { actor: 'actor', action: 'action', targetType: 'type', q: 'q' };

interface ParamsLike {
  get(name: string): string | null;
}

export function filtersFromParams(params: ParamsLike): AuditFilters {
  const read = (k: keyof AuditFilters) => (params.get(PARAM[k]) ?? '').trim();
  return { actor: read('actor'), action: read('action'), targetType: read('targetType'), q: read('q') };
}

/** Only the filters that are set, so the URL stays short; '' when none are. */
export function filtersToQuery(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const k of Object.keys(PARAM) as Array<keyof AuditFilters>) {
    const v = filters[k].trim();
    if (v) params.set(PARAM[k], v);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The audit.list input: unset filters are left out (the server treats missing as "any"). */
export function listInput(filters: AuditFilters, limit = 50) {
  return {
    limit,
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
  };
}
