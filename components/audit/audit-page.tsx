'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { AuditFiltersBar } from './audit-filters-bar';
import { AuditTable } from './audit-table';
import { filtersFromParams, filtersToQuery, listInput, type AuditFilters } from './filters';
import styles from './audit.module.css';

export function AuditPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);

  // replace, not push: each keystroke of a search must not become a history entry.
  const setFilters = useCallback((f: AuditFilters) => router.replace(`${pathname}${filtersToQuery(f)}`, { scroll: false }), [router, pathname]);

  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(listInput(filters), {
      getNextPageParam: (last) => last.nextCursor,
      // Keep the table while a new filter loads, instead of flashing the spinner.
      placeholderData: (prev) => prev,
    }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <h1>Audit</h1>
      <p className="lead">Every change: who, what, before → after, when. Filters are part of the link, so you can share this view.</p>
      <AuditFiltersBar filters={filters} onChange={setFilters} />
      {list.isPending ? <Loading what="audit events" /> : null}
      {list.isError ? <ErrorText error={list.error} action={<Button size="small" onClick={() => void list.refetch()}>Try again</Button>} /> : null}
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState title={filtered ? 'No events match these filters' : 'No audit events yet'}>
          {filtered ? 'Widen the filters or clear them to see more.' : 'Changes made in the console (sign-ins, user and service edits…) are listed here.'}
        </EmptyState>
      ) : null}
      {rows.length ? <AuditTable rows={rows} /> : null}
      <div className={styles.more}>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage} busyLabel="Loading…">
            Load more
          </Button>
        ) : rows.length ? (
          <span className="muted">End of the audit log{filtered ? ' for these filters' : ''}.</span>
        ) : null}
        <span role="status" className="muted">
          {rows.length ? `${rows.length} event${rows.length === 1 ? '' : 's'} shown` : ''}
        </span>
      </div>
    </>
  );
}
