'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Loading } from '@/components/ui/spinner';
import { buildPlacement, pathForClusterIds } from './placement-model';
import { PlacementView } from './placement-view';
import { ServiceGraphView } from './service-graph/service-graph-view';
import { useTopologySnapshot } from './use-topology-snapshot';
import { parseViewState, viewStateQuery, type TopologyViewKind, type TopologyViewState } from './view-state';
import styles from './topology-view.module.css';

const TABS: Array<{ id: TopologyViewKind; label: string }> = [
  { id: 'services', label: 'Service graph' },
  { id: 'placement', label: 'Placement' },
];
const MAX_Q = 200;
const TYPING_MS = 250;

/**
 * The Topology page: two views of one fleet as tabs, a search, an "only unhealthy" filter and
 * breadcrumbs. The whole view lives in the URL (view-state.ts), written with router.replace, so a
 * shared or reloaded link opens the same thing.
 */
export function TopologyView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const parsed = useMemo(() => parseViewState(params), [params]);
  const legacyExpand = params.get('expand');
  // router.replace takes a server round trip; until the URL has moved, the view shows what was
  // asked for (a checkbox that stays unticked for half a second reads as broken).
  const paramsKey = params.toString();
  const [optimistic, setOptimistic] = useState<{ from: string; state: TopologyViewState } | null>(null);
  const state = optimistic && optimistic.from === paramsKey ? optimistic.state : parsed;
  // Once the URL has moved, it is the truth again (also when it later moves back to where the
  // change started, e.g. by a link or Back).
  useEffect(() => {
    if (optimistic && optimistic.from !== paramsKey) setOptimistic(null);
  }, [optimistic, paramsKey]);

  // Two changes in one event (a search picks its hit and its path) must not undo each other
  // before the URL catches up: patches build on the latest written state.
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);
  const write = useCallback(
    (next: TopologyViewState, extra?: (p: URLSearchParams) => void) => {
      latest.current = next;
      setOptimistic({ from: new URLSearchParams(window.location.search).toString(), state: next });
      const base = new URLSearchParams(window.location.search);
      extra?.(base);
      const qs = viewStateQuery(next, base);
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );
  const onChange = useCallback((patch: Partial<TopologyViewState>) => write({ ...latest.current, ...patch }), [write]);

  const searchRef = useRef<HTMLInputElement>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        if (latest.current.focus) onChange({ focus: null });
        if (t && t === searchRef.current) t.blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onChange]);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const n = TABS.length;
    const to = e.key === 'ArrowRight' ? (index + 1) % n : e.key === 'ArrowLeft' ? (index - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : null;
    if (to === null) return;
    e.preventDefault();
    tabRefs.current[to]?.focus();
    onChange({ view: TABS[to]!.id, focus: null });
  };

  if (legacyExpand !== null) return <LegacyExpand ids={legacyExpand} onResolved={(path) => write({ ...state, view: 'placement', path, focus: null }, (p) => p.delete('expand'))} />;

  const crumbHref = (path: string[]) => `${pathname}?${viewStateQuery({ ...state, path, focus: null })}`;
  return (
    <div className={styles.wrap}>
      <div className={styles.toolbar}>
        <div role="tablist" aria-label="Topology views" className={styles.tabs}>
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              id={`topology-tab-${t.id}`}
              role="tab"
              type="button"
              aria-selected={state.view === t.id}
              aria-controls="topology-panel"
              tabIndex={state.view === t.id ? 0 : -1}
              className={styles.tab}
              onClick={() => onChange({ view: t.id, focus: null })}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <SearchBox value={state.q} inputRef={searchRef} onCommit={(q) => onChange({ q, focus: null })} />
        <label className={styles.toggle}>
          <input type="checkbox" checked={state.unhealthy} onChange={(e) => onChange({ unhealthy: e.target.checked })} /> Only unhealthy
        </label>
      </div>
      {state.view === 'placement' ? (
        <nav aria-label="Breadcrumb" className={styles.crumbs}>
          <ol>
            {[[], ...state.path.map((_, i) => state.path.slice(0, i + 1))].map((p, i, all) => {
              const label = i === 0 ? 'All regions' : p[p.length - 1]!;
              return (
                <li key={p.join('/') || '.'}>
                  {i === all.length - 1 ? (
                    <span aria-current="page">{label}</span>
                  ) : (
                    <Link
                      href={crumbHref(p)}
                      replace
                      scroll={false}
                      onClick={(e) => {
                        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                        e.preventDefault();
                        onChange({ path: p, focus: null });
                      }}
                    >
                      {label}
                    </Link>
                  )}
                </li>
              );
            })}
          </ol>
        </nav>
      ) : null}
      <div role="tabpanel" id="topology-panel" aria-labelledby={`topology-tab-${state.view}`}>
        {state.view === 'placement' ? <PlacementView state={state} onChange={onChange} /> : <ServiceGraphView state={state} onChange={onChange} />}
      </div>
    </div>
  );
}

/** The search box: typed text goes to the URL after a pause (or at once on Enter). */
function SearchBox({ value, inputRef, onCommit }: { value: string; inputRef: React.RefObject<HTMLInputElement | null>; onCommit: (q: string) => void }) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    // The URL changed from elsewhere (reload, Back, a cleared search): show what it says.
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === committed.current) return;
    const t = setTimeout(() => {
      committed.current = text;
      onCommit(text);
    }, TYPING_MS);
    return () => clearTimeout(t);
  }, [text, onCommit]);
  return (
    <form
      role="search"
      className={styles.search}
      onSubmit={(e) => {
        e.preventDefault();
        committed.current = text;
        onCommit(text);
      }}
    >
      <input
        ref={inputRef}
        type="search"
        aria-label="Search the topology"
        aria-keyshortcuts="/"
        placeholder="Search service, instance, zone, cluster, label  ( / )"
        maxLength={MAX_Q}
        value={text}
        onChange={(e) => setText(e.target.value.slice(0, MAX_Q))}
      />
    </form>
  );
}

/** `?expand=<cluster id>,…` from the canvas era: opens that cluster in the placement view. */
function LegacyExpand({ ids, onResolved }: { ids: string; onResolved: (path: string[]) => void }) {
  const { query } = useTopologySnapshot();
  const data = query.data;
  const done = useRef(false);
  useEffect(() => {
    if (done.current || (!data && !query.isError)) return;
    done.current = true;
    const list = ids.split(',').map((s) => s.trim()).filter(Boolean);
    onResolved(data ? (pathForClusterIds(buildPlacement(data), list) ?? []) : []);
  }, [data, ids, onResolved, query.isError]);
  return <Loading what="the topology" />;
}
