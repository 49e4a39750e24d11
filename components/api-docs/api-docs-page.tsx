'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import type { OpenApiDocument } from '@/server/api/rest/openapi-types';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/spinner';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { byTag, curlExample, filterOperations, operationsOf } from './model';
import { OperationCard } from './operation-card';
import styles from './api-docs.module.css';

/** The document the API serves about itself, from this origin: the page works offline. */
async function fetchDocument(): Promise<OpenApiDocument> {
  const res = await fetch('/api/v1/openapi.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`The API description could not be loaded (HTTP ${res.status}).`);
  return (await res.json()) as OpenApiDocument;
}

export function ApiDocsPage() {
  const { params, go } = useUrlPatch();
  const doc = useQuery({ queryKey: ['openapi.json'], queryFn: fetchDocument, staleTime: 60_000 });
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const ops = useMemo(() => (doc.data ? operationsOf(doc.data) : []), [doc.data]);
  const shown = useMemo(() => filterOperations(ops, q), [ops, q]);
  const [origin, setOrigin] = useState('https://switchback.example');
  useEffect(() => setOrigin(window.location.origin), []);

  // The operation named in the URL (#operationId) is scrolled to and focused once it exists:
  // the list arrives after the first paint, so the browser's own jump has nothing to land on.
  useEffect(() => {
    if (!doc.data) return;
    const id = decodeURIComponent(window.location.hash.slice(1));
    const el = id ? document.getElementById(id) : null;
    if (el) {
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    }
  }, [doc.data]);

  return (
    <>
      <h1>API reference</h1>
      <p className="lead">
        Every endpoint of <code>/api/v1</code>, with the role it needs. Authenticate with an API token (create one under <Link href="/settings">Settings</Link> → API tokens); errors
        come as <code>application/problem+json</code>. The machine-readable description is <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1).
      </p>
      <h2 className={styles.sub}>Your first request</h2>
      <pre className={styles.curl}>
        {curlExample(origin)}
      </pre>
      <div className={styles.toolbar} role="search">
        <div className={styles.search}>
          <Field label="Filter endpoints" hint="Words in the path, method, summary, tag or role">
            {(control) => (
              <input
                {...control}
                type="search"
                maxLength={200}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  go({ q: e.target.value.trim() ? e.target.value : null });
                }}
              />
            )}
          </Field>
        </div>
        <span role="status" className="muted">
          {doc.data ? `${shown.length} of ${ops.length} endpoints` : ''}
        </span>
      </div>
      {doc.isPending ? <Loading what="the API description" /> : null}
      {doc.isError ? <ErrorText error={doc.error} action={<Button size="small" onClick={() => void doc.refetch()}>Try again</Button>} /> : null}
      {doc.isSuccess && shown.length === 0 ? (
        <EmptyState title={ops.length ? 'No endpoint matches this filter' : 'No endpoints yet'}>{ops.length ? 'Use fewer or other words, or clear the filter.' : 'The API lists no routes.'}</EmptyState>
      ) : null}
      {byTag(shown).map((group) => (
        <section key={group.tag} className={styles.tag} aria-labelledby={`tag-${group.tag}`}>
          <h2 id={`tag-${group.tag}`}>{group.tag}</h2>
          {group.ops.map((op) => (
            <OperationCard key={op.id} op={op} />
          ))}
        </section>
      ))}
    </>
  );
}
