'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSessionUser } from '@/components/shell/session-user';
import { useTRPC } from '@/components/trpc/client';
import { errorCode } from '@/components/trpc/errors';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/spinner';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { DiffTable, type DiffLine } from './diff-table';
import { PreviewPanel } from './preview-panel';
import { StrategyOrder } from './strategy-order';
import { VersionsPanel } from './versions-panel';
import styles from './policies.module.css';

type Doc = Record<string, unknown>;

const getAt = (doc: Doc, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Doc)[k] : undefined), doc);
function setAt(doc: Doc, path: string, value: unknown): Doc {
  const copy = structuredClone(doc);
  const parts = path.split('.');
  let node = copy;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Doc;
  node[parts.at(-1)!] = value;
  return copy;
}

const text = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

function flatDiff(a: unknown, b: unknown, prefix = ''): DiffLine[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => flatDiff((a as Doc)[k], (b as Doc)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, before: a, after: b }];
}

export function PolicyEditor({ kind, scope }: { kind: string; scope: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useSessionUser();
  const canDraft = me.role !== 'viewer';
  const isAdmin = me.role === 'admin';
  const input = { kind: kind as 'weight', scope };
  const policy = useQuery(trpc.policies.get.queryOptions(input));
  const [doc, setDoc] = useState<Doc | null>(null);
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [publishing, setPublishing] = useState(false);
  const [message, setMessage] = useState('');
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: trpc.policies.get.queryKey(input) }), qc.invalidateQueries({ queryKey: trpc.policies.list.queryKey() })]);
  const preview = useMutation(trpc.policies.preview.mutationOptions());
  const draft = useMutation(trpc.policies.saveDraft.mutationOptions({ onSuccess: () => void refresh() }));
  const publish = useMutation(
    trpc.policies.publish.mutationOptions({
      onSuccess: async () => {
        setPublishing(false);
        setMessage('');
        setDoc(null);
        preview.reset();
        await refresh();
      },
    }),
  );
  const fields = useFieldErrors(publish.error ?? preview.error ?? draft.error);
  if (policy.isPending) return <Loading what="the policy" />;
  if (policy.isError) return <ErrorText error={policy.error} />;
  const p = policy.data;
  const current = doc ?? p.document;
  const changes = flatDiff(p.document, current);
  const title = `${kind[0]!.toUpperCase()}${kind.slice(1)} policy · ${p.service ? p.service.name : 'global default'}`;
  const conflict = errorCode(publish.error) === 'CONFLICT' ? ((publish.error as { data?: { details?: { diff?: DiffLine[] } } }).data?.details?.diff ?? []) : null;

  const setNumber = (path: string, text: string) => {
    setRaw((r) => ({ ...r, [path]: text }));
    const n = Number(text);
    setDoc(setAt(current, path, text.trim() === '' || !Number.isFinite(n) ? text : n));
  };

  return (
    <div>
      <h2>
        {title}{' '}
        <Badge tone={p.exists ? 'info' : 'neutral'}>{p.exists ? `version ${p.version}` : 'not overridden: inherits the global default'}</Badge>
      </h2>
      {p.drafts.length > 0 ? (
        <p>
          Drafts waiting:{' '}
          {p.drafts.map((d) => (
            <Button key={d.id} size="small" onClick={() => setDoc(d.document as Doc)}>
              Load {d.authorName}&apos;s draft (from v{d.baseVersion})
            </Button>
          ))}
        </p>
      ) : null}
      <form onSubmit={(e) => e.preventDefault()} noValidate aria-label={title}>
        {kind === 'strategy' ? (
          <StrategyOrder value={current.order as Array<{ name: string; enabled: boolean }>} onChange={(order) => setDoc(setAt(current, 'order', order))} disabled={!canDraft} />
        ) : (
          <div className={styles.fields}>
            {p.fields.map((f) => (
              <Field key={f.path} label={f.label} hint={f.help} error={fields.of(`document.${f.path}`)}>
                {(c) =>
                  f.kind === 'select' ? (
                    <select {...c} value={text(getAt(current, f.path))} disabled={!canDraft} onChange={(e) => setDoc(setAt(current, f.path, e.target.value))}>
                      {f.options?.map((o) => (
                        <option key={o}>{o}</option>
                      ))}
                    </select>
                  ) : (
                    <span className={styles.numberRow}>
                      <input
                        {...c}
                        type="number"
                        inputMode="decimal"
                        min={f.min}
                        max={f.max}
                        step={f.step}
                        disabled={!canDraft}
                        value={raw[f.path] ?? text(getAt(current, f.path))}
                        onChange={(e) => setNumber(f.path, e.target.value)}
                      />
                      {f.unit ? <span className={styles.unit}>{f.unit}</span> : null}
                    </span>
                  )
                }
              </Field>
            ))}
          </div>
        )}
        {fields.of('document.document') ? <ErrorText error={fields.of('document.document')!.join(' ')} /> : null}
        <div className={styles.actions}>
          {canDraft && kind !== 'strategy' ? (
            <Button variant="primary" busy={preview.isPending} busyLabel="Replaying…" onClick={() => preview.mutate({ ...input, document: current, minutes: 15 })}>
              Preview what-if (last 15 min)
            </Button>
          ) : null}
          {canDraft && p.exists ? (
            <Button busy={draft.isPending} busyLabel="Saving…" disabled={changes.length === 0} onClick={() => draft.mutate({ ...input, baseVersion: p.version, document: current })}>
              Save draft
            </Button>
          ) : null}
          {isAdmin ? (
            <Button variant="primary" disabled={changes.length === 0 && p.exists} onClick={() => setPublishing(true)}>
              Publish…
            </Button>
          ) : (
            <span className="muted">{canDraft ? 'Only an admin publishes; save a draft for them.' : 'Viewers read policies; operators draft and preview.'}</span>
          )}
          {doc ? (
            <Button onClick={() => (setDoc(null), setRaw({}), preview.reset())} disabled={changes.length === 0}>
              Discard changes
            </Button>
          ) : null}
        </div>
        {draft.isSuccess && !draft.isPending ? <p role="status">Draft saved; an admin can load and publish it.</p> : null}
        {changes.length > 0 ? (
          <div className={styles.panel}>
            <h3>Your changes</h3>
            <DiffTable lines={changes} label="Your changes" />
          </div>
        ) : null}
      </form>
      {preview.error && !fields.any ? <ErrorText error={preview.error} /> : null}
      {preview.data ? <PreviewPanel result={preview.data} /> : null}
      <ConfirmDialog
        open={publishing}
        title={`Publish version ${p.version + 1}?`}
        confirmLabel="Publish"
        busyLabel="Publishing…"
        busy={publish.isPending}
        error={publish.error && !fields.of('message') ? publish.error : null}
        onCancel={() => (setPublishing(false), publish.reset())}
        onConfirm={() => publish.mutate({ ...input, expectedVersion: p.version, document: current, message })}
      >
        <p>The telemetry leader applies it on its next tick; the timeline shows who published what.</p>
        <DiffTable lines={changes} label="What this version changes" />
        {conflict ? (
          <>
            <p>The policy changed since you opened it. Its current version differs from yours in:</p>
            <DiffTable lines={conflict} label="Current version against yours" />
            <Button size="small" onClick={() => void refresh().then(() => publish.reset())}>
              Load the current version (keep my edits above)
            </Button>
          </>
        ) : null}
        <Field label="Message" hint="What changed and why (shown in the history and the timeline)" error={fields.of('message')}>
          {(c) => <input {...c} value={message} onChange={(e) => setMessage(e.target.value)} />}
        </Field>
      </ConfirmDialog>
      <VersionsPanel kind={kind} scope={scope} versions={p.versions} currentVersion={p.version} isAdmin={isAdmin} onRolledBack={() => void refresh()} />
    </div>
  );
}
