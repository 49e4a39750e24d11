'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { IN_FLIGHT, IN_FLIGHT_STATES, ROLLOUT_STATES, STATE_LABELS, TERMINAL_STATES, type RolloutState } from '@/server/domain/rollouts/machine';
import { useSessionUser } from '@/components/shell/session-user';
import { useTRPC } from '@/components/trpc/client';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { atLeast } from './actions';
import { ImportManifestButton } from '@/components/manifests/import-dialog';
import { FleetTable } from './fleet-table';
import styles from './rollouts.module.css';

const isState = (v: string | null): v is RolloutState | typeof IN_FLIGHT => v !== null && (v === IN_FLIGHT || (ROLLOUT_STATES as readonly string[]).includes(v));
const IN_FLIGHT_LABEL = `In flight (${IN_FLIGHT_STATES.map((s) => STATE_LABELS[s].toLowerCase()).join(', ')})`;

/** The fleet table with its filters in the URL (service, state, text), live. */
export function RolloutsPage() {
  const trpc = useTRPC();
  const me = useSessionUser();
  const { params, go } = useUrlPatch();
  const service = params.get('service') || undefined;
  const stateParam = params.get('state');
  const state = isState(stateParam) ? stateParam : undefined;
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const goRef = useRef(go);
  goRef.current = go;
  useEffect(() => setText(q), [q]);
  // Typing filters after a short pause, so the URL does not change on every key.
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => goRef.current({ q: text.trim() ? text.trim() : null }), 300);
    return () => clearTimeout(t);
  }, [text, q]);

  const input = { ...(service ? { service } : {}), ...(state ? { state } : {}), ...(q.trim() ? { q: q.trim().slice(0, 120) } : {}) };
  const list = useQuery(trpc.rollouts.list.queryOptions(input));
  const services = useQuery(trpc.telemetry.services.queryOptions());
  // The measured canary share changes every tick without a rollout event, while a rollout runs;
  // a list of finished rollouts does not listen to ticks at all.
  const running = (list.data ?? []).some((r) => !TERMINAL_STATES.has(r.state) && r.state !== 'pending');
  useTickRefresh(running ? [trpc.rollouts.list.pathKey()] : [], 5000);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const canAuthor = atLeast(me.role, 'operator');
  const fid = useId();
  const filtered = Boolean(service || state || q);

  return (
    <>
      <div className={styles.toolbar}>
        <h1>Rollouts</h1>
        {canAuthor ? (
          <>
            <Link href="/rollouts/new" className={styles.linkButton}>
              New rollout
            </Link>
            <ImportManifestButton subject="rollout" />
          </>
        ) : null}
      </div>
      <p className="lead">Canary rollouts: header routes and weight steps, gated by approvals and a sequential analysis that rolls a bad canary back by itself.</p>
      <form className={styles.filters} role="search" aria-label="Filter rollouts" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span id={`${fid}-service`}>Service</span>
          <select aria-labelledby={`${fid}-service`} value={service ?? ''} onChange={(e) => go({ service: e.target.value || null })}>
            <option value="">All services</option>
            {(services.data ?? []).map((s) => (
              <option key={s.id} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span id={`${fid}-state`}>State</span>
          <select aria-labelledby={`${fid}-state`} value={state ?? ''} onChange={(e) => go({ state: e.target.value || null })}>
            <option value="">All states</option>
            <option value={IN_FLIGHT}>{IN_FLIGHT_LABEL}</option>
            {ROLLOUT_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span id={`${fid}-text`}>Text</span>
          <input aria-labelledby={`${fid}-text`} type="search" value={text} maxLength={120} placeholder="Name, service or version" onChange={(e) => setText(e.target.value)} />
        </label>
        {filtered ? (
          <button type="button" className={styles.textButton} onClick={() => go({ service: null, state: null, q: null })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {list.isPending ? (
        <Loading what="rollouts" />
      ) : list.isError ? (
        <ErrorText error={list.error} />
      ) : list.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No rollout matches these filters">Clear a filter to see more.</EmptyState>
        ) : (
          <EmptyState
            title="No rollouts yet"
            action={
              canAuthor ? (
                <Link href="/rollouts/new" className={styles.linkButton}>
                  New rollout
                </Link>
              ) : undefined
            }
          >
            {canAuthor ? 'Author one: pick a service, its stable and canary version, and the steps. Preview each step before you start it.' : 'An operator authors rollouts; they show here as they run.'}
          </EmptyState>
        )
      ) : (
        <FleetTable rows={list.data} now={now} />
      )}
    </>
  );
}
