// What the Topology page shows, kept in the URL so a shared link opens the same view:
// ?view=services|placement&q=<search>&unhealthy=1&focus=<node id>&path=<region>/<zone>/<cluster>.
// Pure (no React): parsed and written by the page shell, read by both views.

export type TopologyViewKind = 'services' | 'placement';

export interface TopologyViewState {
  view: TopologyViewKind;
  /** The search text (service, instance, zone, cluster or label); '' = none. At most 200 characters. */
  q: string;
  /** Show only what is unhealthy (degraded, breaker open, backpressured, down, faulted). */
  unhealthy: boolean;
  /** The focused node's id in the current view (a service name, or `<kind>:<db id>` in placement); null = none. */
  focus: string | null;
  /** Placement drill-down: names from region down to cluster ([] = the whole fleet). */
  path: string[];
}

export const DEFAULT_VIEW_STATE: TopologyViewState = { view: 'services', q: '', unhealthy: false, focus: null, path: [] };

const MAX_Q = 200;
const MAX_PART = 200;
// eslint-disable-next-line no-control-regex -- NUL and other control characters never belong in a name
const CONTROL = /[\u0000-\u001f\u007f]/g;
const clean = (s: string, max: number) => s.replace(CONTROL, '').slice(0, max);

type Params = { get(name: string): string | null };

/** The state a URL asks for; anything malformed falls back to the default for that field. */
export function parseViewState(params: Params): TopologyViewState {
  const view = params.get('view') === 'placement' ? 'placement' : 'services';
  const q = clean(params.get('q') ?? '', MAX_Q);
  const unhealthy = params.get('unhealthy') === '1';
  const focusRaw = clean(params.get('focus') ?? '', MAX_PART);
  const path = clean(params.get('path') ?? '', MAX_PART * 3 + 2)
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, 3);
  return { view, q, unhealthy, focus: focusRaw || null, path };
}

/** The query string for a state (defaults left out, so the plain page stays `/topology`). */
export function viewStateQuery(state: TopologyViewState, base?: URLSearchParams): string {
  const p = new URLSearchParams(base);
  for (const k of ['view', 'q', 'unhealthy', 'focus', 'path']) p.delete(k);
  if (state.view !== DEFAULT_VIEW_STATE.view) p.set('view', state.view);
  if (state.q) p.set('q', state.q.slice(0, MAX_Q));
  if (state.unhealthy) p.set('unhealthy', '1');
  if (state.focus) p.set('focus', state.focus);
  if (state.path.length) p.set('path', state.path.join('/'));
  return p.toString();
}

/** What the page shell hands to either view. */
export interface TopologyViewProps {
  state: TopologyViewState;
  /** Change part of the state (the shell writes it to the URL with router.replace). */
  onChange: (patch: Partial<TopologyViewState>) => void;
}

/**
 * Where clearing a search leaves the placement view: a search moved the view to its hit, and the
 * URL would otherwise keep that cluster as the scope of whatever comes next ("only unhealthy" then
 * spoke for one cluster). Back to where the search started (`before`; unknown after a reload: the
 * whole fleet), unless the user has drilled elsewhere since (`current` is no longer where the search
 * left it, `leftAt`): then null, stay.
 */
export function pathAfterClearedSearch(current: readonly string[], leftAt: readonly string[] | null, before: readonly string[] | null): string[] | null {
  if (leftAt === null || current.join('/') !== leftAt.join('/')) return null;
  return [...(before ?? [])];
}
