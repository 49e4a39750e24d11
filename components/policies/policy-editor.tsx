'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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
import { applyRebase, diffDocs, getAt, planRebase, setAt, type Choice } from './rebase';
import { RebasePanel } from './rebase-panel';
import { documentErrors, messageError } from './validate';
import { PreviewPanel } from './preview-panel';
import { newPreviewKey, PreviewProgress } from './preview-progress';
import { StrategyOrder } from './strategy-order';
import { VersionsPanel } from './versions-panel';
import styles from './policies.module.css';

type Doc = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');

/** An edit remembers the version it started from: it is published against that version, never a newer one. */
interface Edit {
  baseVersion: number;
  baseDocument: Doc;
  doc: Doc;
}

interface ConflictDetails {
  currentVersion?: number;
  changedBy?: string | null;
  theirChanges?: DiffLine[];
}

export function PolicyEditor({ kind, scope }: { kind: string; scope: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useSessionUser();
  const canDraft = me.role !== 'viewer';
  const isAdmin = me.role === 'admin';
  const input = { kind: kind as 'weight', scope };
  const policy = useQuery(trpc.policies.get.queryOptions(input));
  const [edit, setEdit] = useState<Edit | null>(null);
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [publishing, setPublishing] = useState(false);
  const [message, setMessage] = useState('');
  const [messageTouched, setMessageTouched] = useState(false);
  const [previewKey, setPreviewKey] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const messageRef = useRef<HTMLInputElement>(null);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: trpc.policies.get.queryKey(input) }), qc.invalidateQueries({ queryKey: trpc.policies.list.queryKey() })]);
  const preview = useMutation(trpc.policies.preview.mutationOptions());
  // Once a draft begins, the server starts the preview's replay thread (a large fleet's first
  // preview would otherwise wait for it); a failure only means the preview starts it itself.
  const { mutate: warm } = useMutation(trpc.policies.warmPreview.mutationOptions());
  const warmed = useRef(false);
  useEffect(() => {
    if (edit === null || !canDraft || warmed.current || kind === 'strategy') return;
    warmed.current = true;
    warm({ kind: kind as 'weight', scope });
  }, [edit, canDraft, warm, kind, scope]);
  const draft = useMutation(trpc.policies.saveDraft.mutationOptions({ onSuccess: () => void refresh() }));
  const publish = useMutation(
    trpc.policies.publish.mutationOptions({
      onSuccess: async () => {
        setPublishing(false);
        setMessage('');
        setMessageTouched(false);
        setEdit(null);
        setRaw({});
        preview.reset();
        await refresh();
      },
      // Someone published first: load their version so the rebase panel can show what they changed.
      onError: (err) => void (errorCode(err) === 'CONFLICT' ? refresh() : undefined),
    }),
  );
  const fields = useFieldErrors(publish.error ?? preview.error ?? draft.error);
  if (policy.isPending) return <Loading what="the policy" />;
  if (policy.isError) return <ErrorText error={policy.error} />;
  const p = policy.data;
  // Until the first keystroke the form follows the newest version; after it, the edit keeps its base.
  const base = edit ?? { baseVersion: p.version, baseDocument: p.document, doc: p.document };
  const current = base.doc;
  const changes = diffDocs(base.baseDocument, current);
  const stale = edit !== null && p.version !== edit.baseVersion;
  const plan = stale ? planRebase(edit.baseDocument, edit.doc, p.document) : null;
  const title = `${kind[0]!.toUpperCase()}${kind.slice(1)} policy · ${p.service ? p.service.name : 'global default'}`;
  const conflict = errorCode(publish.error) === 'CONFLICT' ? ((publish.error as { data?: { details?: ConflictDetails | null } }).data?.details ?? {}) : null;
  const invalid = documentErrors(kind, current);
  const messageProblem = messageTouched ? messageError(message) : undefined;
  const labelOf = (path: string) => p.fields.find((f) => f.path === path)?.label ?? path;

  const change = (doc: Doc) => setEdit({ ...base, doc });
  const setNumber = (path: string, text: string) => {
    setRaw((r) => ({ ...r, [path]: text }));
    const n = Number(text);
    change(setAt(current, path, text.trim() === '' || !Number.isFinite(n) ? text : n));
  };
  /** Refuses to send a document the schema refuses: the first bad field gets the focus. */
  const validOrFocus = () => {
    if (Object.keys(invalid).length === 0) return true;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    return false;
  };
  /** Each preview gets its own progress key, so a poll never shows an earlier preview's figures. */
  const startPreview = () => {
    const progressKey = newPreviewKey();
    setPreviewKey(progressKey);
    preview.mutate({ ...input, document: current, minutes: 15, progressKey });
  };
  const rebase = () => {
    if (!plan) return;
    const merged = applyRebase(p.document, plan, choices);
    if (!merged) return;
    setEdit({ baseVersion: p.version, baseDocument: p.document, doc: merged });
    setRaw({});
    setChoices({});
    publish.reset();
  };
  const confirmPublish = () => {
    setMessageTouched(true);
    if (messageError(message)) return messageRef.current?.focus();
    if (!validOrFocus()) return setPublishing(false);
    publish.mutate({ ...input, expectedVersion: base.baseVersion, document: current, message });
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
            <Button key={d.id} size="small" onClick={() => (setEdit({ baseVersion: d.baseVersion, baseDocument: d.baseDocument ?? p.document, doc: d.document }), setRaw({}), setChoices({}))}>
              Load {d.authorName}&apos;s draft (from v{d.baseVersion})
            </Button>
          ))}
        </p>
      ) : null}
      {plan && edit ? (
        <RebasePanel
          baseVersion={edit.baseVersion}
          currentVersion={p.version}
          versionsSince={p.versions.filter((v) => v.version > edit.baseVersion).reverse()}
          plan={plan}
          choices={choices}
          onChoose={(path, c) => setChoices((o) => ({ ...o, [path]: c }))}
          onApply={rebase}
          labelOf={labelOf}
        />
      ) : null}
      <form ref={formRef} onSubmit={(e) => e.preventDefault()} noValidate aria-label={title}>
        {kind === 'strategy' ? (
          <StrategyOrder value={current.order as Array<{ name: string; enabled: boolean }>} onChange={(order) => change(setAt(current, 'order', order))} disabled={!canDraft} />
        ) : (
          <div className={styles.fields}>
            {p.fields.map((f) => (
              <Field key={f.path} label={f.label} hint={f.help} error={invalid[f.path] ?? fields.of(`document.${f.path}`)}>
                {(c) =>
                  f.kind === 'select' ? (
                    <select {...c} value={text(getAt(current, f.path))} disabled={!canDraft} onChange={(e) => change(setAt(current, f.path, e.target.value))}>
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
        {invalid.document ?? invalid.order ?? fields.of('document.document') ? <ErrorText error={(invalid.document ?? invalid.order ?? fields.of('document.document'))!.join(' ')} /> : null}
        <div className={styles.actions}>
          {canDraft && kind !== 'strategy' ? (
            <Button variant="primary" busy={preview.isPending} busyLabel="Replaying…" onClick={() => validOrFocus() && startPreview()}>
              Preview what-if (last 15 min)
            </Button>
          ) : null}
          {canDraft && p.exists ? (
            <Button busy={draft.isPending} busyLabel="Saving…" disabled={changes.length === 0} onClick={() => validOrFocus() && draft.mutate({ ...input, baseVersion: base.baseVersion, document: current })}>
              Save draft
            </Button>
          ) : null}
          {isAdmin ? (
            <Button variant="primary" disabled={changes.length === 0 && p.exists} onClick={() => validOrFocus() && setPublishing(true)}>
              Publish…
            </Button>
          ) : (
            <span className="muted">{canDraft ? 'Only an admin publishes; save a draft for them.' : 'Viewers read policies; operators draft and preview.'}</span>
          )}
          {edit ? (
            <Button onClick={() => (setEdit(null), setRaw({}), setChoices({}), preview.reset(), publish.reset())} disabled={changes.length === 0 && !stale}>
              Discard changes
            </Button>
          ) : null}
        </div>
        {draft.isSuccess && !draft.isPending ? <p role="status">Draft saved; an admin can load and publish it.</p> : null}
        {changes.length > 0 ? (
          <div className={styles.panel}>
            <h3>Your changes</h3>
            <DiffTable lines={changes} label="Your changes" labelOf={labelOf} />
          </div>
        ) : null}
      </form>
      {preview.isPending && previewKey ? <PreviewProgress progressKey={previewKey} /> : null}
      {preview.error && !fields.any ? <ErrorText error={preview.error} /> : null}
      {preview.data ? <PreviewPanel result={preview.data} /> : null}
      <ConfirmDialog
        open={publishing}
        title={`Publish version ${base.baseVersion + 1}?`}
        confirmLabel="Publish"
        busyLabel="Publishing…"
        busy={publish.isPending}
        error={publish.error && !fields.of('message') ? publish.error : null}
        onCancel={() => (setPublishing(false), publish.reset())}
        onConfirm={confirmPublish}
      >
        <p>The telemetry leader applies it on its next tick; the timeline shows who published what.</p>
        <DiffTable lines={changes} label="What this version changes" labelOf={labelOf} />
        {conflict ? (
          <>
            <p>
              Nothing was published: your edit is based on version {base.baseVersion}, and {conflict.changedBy ?? 'someone'} published version {conflict.currentVersion ?? '?'} since. What they changed:
            </p>
            <DiffTable lines={conflict.theirChanges ?? []} label="What they changed" labelOf={labelOf} />
            <Button size="small" onClick={() => (setPublishing(false), publish.reset())}>
              Review and rebase my edit
            </Button>
          </>
        ) : null}
        <Field label="Message" hint="What changed and why (shown in the history and the timeline)" error={messageProblem ?? fields.of('message')}>
          {(c) => <input {...c} ref={messageRef} value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} onBlur={() => message !== '' && setMessageTouched(true)} />}
        </Field>
      </ConfirmDialog>
      <VersionsPanel kind={kind} scope={scope} versions={p.versions} currentVersion={p.version} isAdmin={isAdmin} onRolledBack={() => void refresh()} />
    </div>
  );
}
