'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { EMPTY_FILTERS, type AuditFilters } from './filters';
import styles from './audit.module.css';

/** Typing in the search box updates the URL (and the query) after this pause. */
const SEARCH_DEBOUNCE_MS = 350;

export function AuditFiltersBar({ filters, onChange }: { filters: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const trpc = useTRPC();
  const facets = useQuery(trpc.audit.facets.queryOptions());
  const [q, setQ] = useState(filters.q);
  const pushed = useRef(filters.q);

  // Back/forward or a pasted link changed the URL: show its search text. Our own debounced
  // update is skipped, or keys typed while the URL caught up would be lost.
  useEffect(() => {
    if (filters.q !== pushed.current) setQ(filters.q);
    pushed.current = filters.q;
  }, [filters.q]);

  useEffect(() => {
    if (q.trim() === filters.q) return;
    const t = setTimeout(() => {
      pushed.current = q.trim();
      onChange({ ...filters, q });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [q, filters, onChange]);

  const select = (key: 'actor' | 'action' | 'targetType', label: string, all: string, options: string[] | undefined) => {
    // A value from the URL that no row has any more still shows as chosen.
    const values = options && filters[key] && !options.includes(filters[key]) ? [filters[key], ...options] : (options ?? []);
    return (
      <Field label={label}>
        {(p) => (
          <select {...p} value={filters[key]} onChange={(e) => onChange({ ...filters, [key]: e.target.value })} disabled={facets.isPending && !filters[key]}>
            <option value="">{all}</option>
            {values.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  };

  const anySet = Object.values(filters).some(Boolean) || q !== '';
  return (
    <form role="search" aria-label="Filter audit events" className={styles.filters} onSubmit={(e) => (e.preventDefault(), onChange({ ...filters, q }))}>
      {select('actor', 'Actor', 'All actors', facets.data?.actors)}
      {select('action', 'Action', 'All actions', facets.data?.actions)}
      {select('targetType', 'Target type', 'All target types', facets.data?.targetTypes)}
      <Field label="Search" hint="Target name or action">
        {(p) => <input {...p} type="search" maxLength={TEXT_LIMITS.search} className={`${p.className ?? ''} ${styles.search}`} value={q} onChange={(e) => setQ(e.target.value)} />}
      </Field>
      {anySet ? (
        <Button
          className={styles.clear}
          onClick={() => {
            setQ('');
            pushed.current = '';
            onChange(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
