'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { CurrentValues, staleWriteOf } from '@/components/ui/conflict';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { Table } from '@/components/ui/table';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { exampleText, type AdapterKindChoice } from './adapter-examples';
import styles from './settings.module.css';

type Kind = AdapterKindChoice;

export interface AdapterDraft {
  id?: string;
  version?: number;
  name: string;
  kind: Kind;
  config: unknown;
}

/** Parses the JSON the admin typed; the error names the line and column the parser stopped at. */
function parseConfig(text: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'The configuration must be a JSON object ({ … }).' };
    return { value: v as Record<string, unknown> };
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function AdapterEditor({ draft, onClose }: { draft: AdapterDraft | null; onClose: () => void }) {
  return (
    <Dialog size="wide" open={draft !== null} title={draft?.id ? `Edit adapter “${draft.name}”` : 'New platform adapter'} onClose={onClose}>
      {draft ? <EditorForm key={draft.id ?? 'new'} draft={draft} onClose={onClose} /> : null}
    </Dialog>
  );
}

function EditorForm({ draft, onClose }: { draft: AdapterDraft; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [name, setName] = useState(draft.name);
  const [kind, setKind] = useState<Kind>(draft.kind);
  const [text, setText] = useState(draft.config === undefined ? exampleText(draft.kind) : JSON.stringify(draft.config, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  // The version this form was opened with; only "Load the current version" moves it on.
  const [version, setVersion] = useState(draft.version);
  const save = useMutation(
    trpc.platform.save.mutationOptions({
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.system.adapters.queryKey() });
        onClose();
      },
    }),
  );
  const test = useMutation(trpc.platform.test.mutationOptions());
  const fields = useFieldErrors(save.error);
  const stale = staleWriteOf(save.error);

  /** After a conflict: start again from the version that is current now (what it holds is shown above). */
  function loadCurrent() {
    if (!stale) return;
    setName(typeof stale.current.name === 'string' ? stale.current.name : name);
    setKind(stale.current.kind === 'haproxy' ? 'haproxy' : 'sim');
    setText(JSON.stringify(stale.current.config ?? {}, null, 2));
    setVersion(stale.currentVersion);
    save.reset();
  }

  function config(): Record<string, unknown> | null {
    const parsed = parseConfig(text);
    if ('error' in parsed) {
      setJsonError(parsed.error);
      return null;
    }
    setJsonError(null);
    return parsed.value;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const c = config();
    if (c) save.mutate({ id: draft.id, version, name: name.trim(), kind, config: c });
  }

  const configErrors = [jsonError, ...(fields.of('config') ?? [])].filter((x): x is string => Boolean(x));
  return (
    <form onSubmit={submit} noValidate className={styles.adapterForm}>
      <ErrorText
        error={save.error && !fields.any ? save.error : null}
        action={
          stale ? (
            <Button size="small" onClick={loadCurrent}>
              Load the current version (discard my edit)
            </Button>
          ) : null
        }
      />
      {stale ? (
        <>
          <CurrentValues stale={stale} labels={{ name: 'Name', kind: 'Kind', active: 'Active' }} />
          <pre className={styles.json} aria-label="Current configuration">{JSON.stringify(stale.current.config ?? {}, null, 2)}</pre>
        </>
      ) : null}
      <Field label="Name" hint="How Settings and the audit log name this platform" error={fields.of('name')} maxLength={TEXT_LIMITS.adapterName} length={name.length}>
        {(p) => <input {...p} autoComplete="off" autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Kind" error={fields.of('kind')}>
        {(p) => (
          <select
            {...p}
            value={kind}
            onChange={(e) => {
              const k = e.target.value === 'haproxy' ? 'haproxy' : 'sim';
              setKind(k);
              if (!draft.id) setText(exampleText(k));
            }}
          >
            <option value="sim">sim — the built-in simulator</option>
            <option value="haproxy">haproxy — HAProxy Runtime API (+ Prometheus metrics)</option>
          </select>
        )}
      </Field>
      <Field
        label="Configuration (JSON)"
        hint={kind === 'haproxy' ? 'sockets, mapDir, services (backends per version, header map), instances (backend server per instance), optional metrics (Prometheus). npm run lab writes a complete example.' : 'Simulator settings; unknown keys are refused with the list of known ones.'}
        error={configErrors}
      >
        {(p) => <textarea {...p} className={`${p.className ?? ''} ${styles.json}`} rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      {test.data ? (
        <div role="group" aria-label="Connection test result" aria-live="polite" className={styles.testResult}>
          <p>
            {test.data.ok ? <Badge tone="success">connected</Badge> : <Badge tone="danger">failed</Badge>} {test.data.message}
          </p>
          {test.data.instances.length > 0 ? (
            <Table label="What the platform shows">
              <thead>
                <tr>
                  <th scope="col">Instance</th>
                  <th scope="col">Service</th>
                  <th scope="col">Version</th>
                  <th scope="col">Address</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {test.data.instances.map((i) => (
                  <tr key={i.name}>
                    <th scope="row">{i.name}</th>
                    <td>{i.service}</td>
                    <td>{i.version ?? '—'}</td>
                    <td>{i.address || '—'}</td>
                    <td>{i.up ? 'up' : 'down'}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </div>
      ) : null}
      {test.error ? <ErrorText error={test.error} /> : null}
      <DialogActions>
        <Button onClick={onClose} disabled={save.isPending}>
          Cancel
        </Button>
        <Button
          busy={test.isPending}
          busyLabel="Connecting…"
          onClick={() => {
            const c = config();
            if (c) test.mutate({ kind, config: c });
          }}
        >
          Test connection
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} busyLabel="Saving…">
          {draft.id ? 'Save changes' : 'Create adapter'}
        </Button>
      </DialogActions>
    </form>
  );
}
