'use client';

// First: no eval under the CSP; zod must be configured before any rollout schema module is loaded.
import '@/components/policies/zod-no-eval';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useSessionUser } from '@/components/shell/session-user';
import { useTRPC } from '@/components/trpc/client';
import { fieldErrorsOf } from '@/components/trpc/errors';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Button } from '@/components/ui/button';
import { staleWriteOf } from '@/components/ui/conflict';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import type { RolloutSpec } from '@/server/domain/rollouts/spec';
import { atLeast } from './actions';
import { PreviewPanel } from './preview-panel';
import { RolloutForm, type ServiceChoice } from './rollout-form';
import { emptyDraft, validateSpec, type DraftSpec, type SpecErrors } from './spec-draft';
import type * as SpecYamlModule from './spec-yaml';
import type { YamlProblem } from './spec-yaml';
import { usePreview } from './use-preview';
import { YamlEditor } from './yaml-editor';
import styles from './rollouts.module.css';

// The YAML tab's reader and writer pull in the yaml package (~130 KB of JavaScript): loaded when
// the tab is first opened, not with the page.
type SpecYaml = typeof SpecYamlModule;
const loadSpecYaml = (): Promise<SpecYaml> => import('./spec-yaml');

/** The wizard for a new rollout (`?service=`), or for a saved draft (`?id=`). */
export function NewRolloutPage() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const id = params.get('id');
  const existing = useQuery({ ...trpc.rollouts.get.queryOptions({ id: id ?? '' }), enabled: Boolean(id) });
  if (id && existing.isPending) return <Loading what="the draft" />;
  if (id && existing.isError) return <ErrorText error={existing.error} />;
  const d = id ? existing.data : undefined;
  if (d && d.state !== 'pending') {
    return (
      <p>
        This rollout has started; its steps can no longer be edited. <Link href={`/rollouts/${d.id}`}>Open it</Link>.
      </p>
    );
  }
  return <Authoring key={d ? d.id : 'new'} initial={d ? { spec: d.spec, id: d.id, version: d.version } : null} service={params.get('service') ?? ''} />;
}

interface Saved {
  id: string;
  version: number;
}

function Authoring({ initial, service }: { initial: { spec: RolloutSpec; id: string; version: number } | null; service: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const me = useSessionUser();
  const canAuthor = atLeast(me.role, 'operator');
  const [draft, setDraft] = useState<DraftSpec>(initial?.spec ?? emptyDraft(service));
  const [saved, setSaved] = useState<Saved | null>(initial ? { id: initial.id, version: initial.version } : null);
  const [tab, setTab] = useState<'form' | 'yaml'>('form');
  const [yaml, setYaml] = useState('');
  const [yamlLib, setYamlLib] = useState<SpecYaml | null>(null);
  const [yamlProblems, setYamlProblems] = useState<YamlProblem[]>([]);
  const [showErrors, setShowErrors] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const services = useQuery(trpc.telemetry.services.queryOptions());
  const choices: ServiceChoice[] = useMemo(() => (services.data ?? []).map((s) => ({ name: s.name, versions: Object.keys(s.byVersion).sort() })), [services.data]);
  const checked = useMemo(() => validateSpec(draft), [draft]);
  // The preview needs no name: an author sees what the steps do before naming the rollout.
  const forPreview = useMemo(() => (draft.name.trim() ? checked : validateSpec({ ...draft, name: 'unnamed' })), [draft, checked]);
  const preview = usePreview(forPreview.ok ? forPreview.spec : null, canAuthor);

  const onSaved = async (r: Saved, words: string) => {
    setSaved(r);
    setNotice(words);
    await qc.invalidateQueries({ queryKey: trpc.rollouts.pathKey() });
  };
  const create = useMutation(trpc.rollouts.create.mutationOptions({ onSuccess: (r) => void onSaved(r, `Saved as a draft (version ${r.version}).`) }));
  const update = useMutation(trpc.rollouts.update.mutationOptions({ onSuccess: (r) => void onSaved(r, `Draft saved (version ${r.version}).`) }));
  const start = useMutation(trpc.rollouts.start.mutationOptions({ onSuccess: (_r, v) => router.push(`/rollouts/${v.id}`) }));
  const template = useMutation({
    mutationFn: (name: string) => qc.fetchQuery(trpc.rollouts.template.queryOptions({ service: name }, { staleTime: 0 })),
    onSuccess: (t) => {
      setDraft(t.spec);
      if (tab === 'yaml' && yamlLib) {
        setYaml(yamlLib.specToYaml(t.spec));
        setYamlProblems([]);
      }
      setNotice(t.source === 'last-rollout' ? 'Loaded the last rollout of this service.' : t.source === 'template' ? 'Loaded the rollout template of this service.' : 'This service has no rollout yet: loaded the example rollout with its versions.');
    },
  });
  const saveError = update.error ?? create.error;
  const stale = staleWriteOf(update.error);
  // Server field errors arrive as "spec.steps.2.weight": the form's paths have no "spec." prefix.
  const serverErrors: SpecErrors = {};
  for (const [k, v] of Object.entries(fieldErrorsOf(saveError ?? start.error))) serverErrors[k.replace(/^spec\.?/, '')] = v;
  const errors = showErrors ? { ...serverErrors, ...checked.errors } : serverErrors;
  const busy = create.isPending || update.isPending || start.isPending;

  const changeDraft = (d: DraftSpec) => {
    setDraft(d);
    setNotice(null);
  };
  /** After a conflict: the draft as it is now replaces the edit. */
  const reload = async () => {
    if (!saved) return;
    const now = await qc.fetchQuery(trpc.rollouts.get.queryOptions({ id: saved.id }, { staleTime: 0 }));
    setDraft(now.spec);
    setSaved({ id: now.id, version: now.version });
    if (tab === 'yaml' && yamlLib) setYaml(yamlLib.specToYaml(now.spec));
    update.reset();
    setNotice(`Loaded version ${now.version}.`);
  };
  const switchTab = (t: 'form' | 'yaml') => {
    if (t === 'form') return setTab(t);
    loadSpecYaml().then(
      (lib) => {
        setYamlLib(lib);
        setYaml(lib.specToYaml(draft));
        setYamlProblems([]);
        setTab('yaml');
      },
      () => setNotice('The YAML editor could not be loaded (is the console still running?). Reload the page to try again.'),
    );
  };
  const editYaml = (text: string) => {
    setYaml(text);
    setNotice(null);
    if (!yamlLib) return;
    const r = yamlLib.readYaml(text);
    if (r.ok) setDraft(r.spec);
    setYamlProblems(r.ok ? [] : r.problems);
  };
  /** Refuses to send what the schema refuses: the first bad field gets the focus. */
  const validOrFocus = (): RolloutSpec | null => {
    setShowErrors(true);
    if (tab === 'yaml' && yamlProblems.length) return null;
    if (checked.ok) return checked.spec;
    requestAnimationFrame(() => document.querySelector<HTMLElement>('form[aria-label="New rollout"] [aria-invalid="true"]')?.focus());
    return null;
  };
  const save = () => {
    const spec = validOrFocus();
    if (!spec) return;
    if (saved) update.mutate({ id: saved.id, version: saved.version, spec });
    else create.mutate({ spec });
  };

  return (
    <>
      <Breadcrumbs items={[{ label: 'Rollouts', href: '/rollouts' }, { label: saved ? `Draft: ${draft.name || 'unnamed'}` : 'New rollout' }]} />
      <h1>{saved ? 'Edit rollout draft' : 'New rollout'}</h1>
      <p className="lead">Header routes and weights in one list of steps, gated by pauses, approvals and analyses. The preview shows what each step does to the traffic before anything runs.</p>
      {!canAuthor ? <p role="note">Viewers read rollouts; an operator authors them.</p> : null}
      <div className={styles.actions}>
        <Button disabled={!draft.service || template.isPending || !canAuthor} busy={template.isPending} busyLabel="Loading…" onClick={() => template.mutate(draft.service)}>
          Start from the last rollout of this service
        </Button>
        {!draft.service ? <span className="muted">Choose a service first.</span> : null}
      </div>
      <ErrorText error={template.error} />
      <div className={styles.authoring}>
        <form aria-label="New rollout" noValidate onSubmit={(e) => (e.preventDefault(), save())}>
          <div role="tablist" aria-label="Edit as" className={styles.tabs}>
            {(['form', 'yaml'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`tab-${t}`}
                aria-controls={`panel-${t}`}
                aria-selected={tab === t}
                tabIndex={tab === t ? 0 : -1}
                className={styles.tab}
                onClick={() => switchTab(t)}
                onKeyDown={(e) => (e.key === 'ArrowRight' || e.key === 'ArrowLeft' ? (switchTab(t === 'form' ? 'yaml' : 'form'), document.getElementById(`tab-${t === 'form' ? 'yaml' : 'form'}`)?.focus()) : undefined)}
              >
                {t === 'form' ? 'Form' : 'YAML'}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'form' ? (
              <RolloutForm draft={draft} onChange={changeDraft} errors={errors} services={choices} serviceLocked={saved !== null} disabled={!canAuthor || busy} />
            ) : (
              <YamlEditor text={yaml} onChange={editYaml} problems={yamlProblems} disabled={!canAuthor || busy} />
            )}
          </div>
          {showErrors && !checked.ok && tab === 'form' ? <p className={styles.fieldError} role="alert">Some fields need a change: they say what next to them.</p> : null}
          {stale ? (
            <div role="alert" className={styles.panel}>
              <p>
                This draft changed since you opened it: it is at version {stale.currentVersion} now{stale.changedBy ? `, saved by ${stale.changedBy}` : ''}. Your changes were not saved.
              </p>
              <Button onClick={() => void reload()}>Load version {stale.currentVersion} (drops your changes)</Button>
            </div>
          ) : (
            <ErrorText error={saveError ?? start.error} />
          )}
          {notice ? <Notice>{notice}</Notice> : null}
          {canAuthor ? (
            <div className={styles.actions}>
              <Button type="submit" variant="primary" busy={create.isPending || update.isPending} busyLabel="Saving…">
                {saved ? 'Save draft' : 'Save as draft'}
              </Button>
              {saved ? (
                <>
                  <Button disabled={busy} busy={start.isPending} busyLabel="Starting…" onClick={() => start.mutate({ id: saved.id, version: saved.version })}>
                    Start rollout
                  </Button>
                  <Link href={`/rollouts/${saved.id}`}>Open the rollout</Link>
                </>
              ) : null}
            </div>
          ) : null}
        </form>
        <aside className={styles.panel} aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview on today’s fleet</h2>
          {!canAuthor ? (
            <p className="muted">Operators see the preview.</p>
          ) : !forPreview.ok ? (
            <p className="muted">The preview appears once the service, the versions and the steps are valid.</p>
          ) : preview.error ? (
            <ErrorText error={preview.error} />
          ) : preview.data ? (
            <PreviewPanel preview={preview.data} canaryVersion={draft.canaryVersion} />
          ) : (
            <Loading what="the preview" />
          )}
        </aside>
      </div>
    </>
  );
}
