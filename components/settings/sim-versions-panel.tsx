'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { Table } from '@/components/ui/table';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import styles from './settings.module.css';

interface VersionBehaviour {
  version: string;
  latencyFactor: number;
  errorPct: number;
  cpuFactor: number;
}

/**
 * How each app version behaves in the simulated world (latency ×, errors %, CPU ×), so a demo can
 * run a good canary and a bad one. A version not listed behaves like the defaults.
 */
export function SimVersionsPanel({ versions, canOperate }: { versions: readonly VersionBehaviour[]; canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.sim.status.queryKey() });
  const set = useMutation(trpc.sim.setVersion.mutationOptions({ onSuccess: refresh }));
  const reset = useMutation(trpc.sim.resetVersion.mutationOptions({ onSuccess: refresh }));
  const fields = useFieldErrors(set.error);
  const [draft, setDraft] = useState({ version: 'v2', latencyFactor: '1', errorPct: '0.05', cpuFactor: '1' });

  function submit(e: FormEvent) {
    e.preventDefault();
    set.mutate({ version: draft.version.trim(), latencyFactor: Number(draft.latencyFactor), errorPct: Number(draft.errorPct), cpuFactor: Number(draft.cpuFactor) });
  }
  const number = (key: 'latencyFactor' | 'errorPct' | 'cpuFactor', label: string, hint: string) => (
    <Field label={label} hint={hint} error={fields.of(key)}>
      {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} inputMode="decimal" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />}
    </Field>
  );

  return (
    <section aria-labelledby="sim-versions-heading">
      <h3 id="sim-versions-heading">Simulated versions</h3>
      <p className="muted">Every version not listed runs with ×1 latency, 0.05 % errors and ×1 CPU. Changes apply from the next tick and are audited.</p>
      {versions.length > 0 ? (
        <Table label="Simulated version behaviour">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Latency</th>
              <th scope="col">Errors</th>
              <th scope="col">CPU</th>
              {canOperate ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td>×{v.latencyFactor}</td>
                <td>{v.errorPct} %</td>
                <td>×{v.cpuFactor}</td>
                {canOperate ? (
                  <td>
                    <Button size="small" busy={reset.isPending && reset.variables.version === v.version} onClick={() => reset.mutate({ version: v.version })} aria-label={`Reset ${v.version} to the defaults`}>
                      Reset
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <ErrorText error={reset.error} />
      {canOperate ? (
        <form onSubmit={submit} noValidate aria-label="Set a version's behaviour" className={styles.adapterForm}>
          <ErrorText error={set.error && !fields.any ? set.error : null} />
          <Field label="Version" error={fields.of('version')} maxLength={64} length={draft.version.length}>
            {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} value={draft.version} onChange={(e) => setDraft({ ...draft, version: e.target.value })} />}
          </Field>
          {number('latencyFactor', 'Latency factor', '×0.1 to ×20 of every request’s time')}
          {number('errorPct', 'Errors (%)', '0 to 100 % of the version’s requests fail')}
          {number('cpuFactor', 'CPU factor', '×0.1 to ×10 CPU per request')}
          <Button type="submit" busy={set.isPending} busyLabel="Saving…">
            Set behaviour
          </Button>
        </form>
      ) : null}
    </section>
  );
}
