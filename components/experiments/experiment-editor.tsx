'use client';

// First: no eval under the CSP; zod must be configured before any experiment schema module is loaded.
import '@/components/policies/zod-no-eval';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { ExperimentDraft } from '@/server/domain/experiments/spec';
import { useSessionUser } from '@/components/shell/session-user';
import { useTRPC } from '@/components/trpc/client';
import { fieldErrorsOf } from '@/components/trpc/errors';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Button } from '@/components/ui/button';
import { ExportManifestButton } from '@/components/manifests/export-dialog';
import { staleWriteOf } from '@/components/ui/conflict';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { atLeast } from '@/components/rollouts/actions';
import { useExperimentCommands, useTemplates } from './api';
import type { ExperimentDetail } from './contract';
import { ExperimentForm, type Facets } from './experiment-form';
import { SchedulesPanel } from './schedules-panel';
import { validateDraft, type DraftErrors } from './spec-draft';
import { overridableRefusal, overrideInput, withOverride, type OverrideKind } from './start-refusal';
import { StartRunDialog } from './start-run-dialog';
import { TargetPreview } from './target-preview';
import { refusalsByField } from './refusal-fields';
import { useTargetPreview } from './use-target-preview';
import styles from './experiments.module.css';

interface Saved {
  id: string;
  version: number;
}

/** Authoring: a new experiment from a template, or an existing one (its version remembered for the stale check). */
export function ExperimentEditor({ initial, saved: savedAtOpen, archived, stored }: { initial: ExperimentDraft; saved: Saved | null; archived?: boolean; stored?: ExperimentDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useSessionUser();
  const canAuthor = atLeast(me.role, 'operator') && !archived;
  const isApprover = atLeast(me.role, 'approver');
  const [draft, setDraft] = useState<ExperimentDraft>(initial);
  const [saved, setSaved] = useState<Saved | null>(savedAtOpen);
  const [savedJson, setSavedJson] = useState<string | null>(savedAtOpen ? JSON.stringify(initial) : null);
  const [showErrors, setShowErrors] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [override, setOverride] = useState<OverrideKind[]>([]);
  const commands = useExperimentCommands();
  const templates = useTemplates();
  const map = useQuery(trpc.topologyMap.snapshot.queryOptions());
  const facets: Facets = useMemo(() => {
    const s = { regions: new Set<string>(), zones: new Set<string>(), clusters: new Set<string>(), services: new Set<string>(), versions: new Set<string>() };
    for (const r of map.data?.regions ?? []) {
      s.regions.add(r.name);
      for (const z of r.zones) {
        s.zones.add(z.name);
        for (const c of z.clusters) {
          s.clusters.add(c.name);
          for (const i of c.instances) {
            s.services.add(i.service);
            s.versions.add(i.appVersion);
          }
        }
      }
    }
    const sorted = (x: Set<string>) => [...x].sort();
    return { regions: sorted(s.regions), zones: sorted(s.zones), clusters: sorted(s.clusters), services: sorted(s.services), versions: sorted(s.versions) };
  }, [map.data]);

  const checked = useMemo(() => validateDraft(draft), [draft]);
  // The preview needs no name: an author sees the targets before naming the experiment.
  const forPreview = useMemo(() => (draft.name.trim() ? checked : validateDraft({ ...draft, name: 'unnamed' })), [draft, checked]);
  const preview = useTargetPreview(forPreview.ok ? forPreview.draft.spec : null, atLeast(me.role, 'operator'));
  const shown = preview.data ?? preview.stale;

  const saveError = commands.update.error ?? commands.create.error;
  const stale = staleWriteOf(commands.update.error);
  // Errors next to the fields: the schema's (after a save attempt), the server's, and the preview's refusals that name a field.
  const errors: DraftErrors = {};
  const addAll = (m: Record<string, string[]>) => {
    for (const [k, v] of Object.entries(m)) (errors[k] ??= []).push(...v.filter((x) => !errors[k]?.includes(x)));
  };
  addAll(fieldErrorsOf(saveError ?? commands.start.error));
  if (showErrors) addAll(checked.errors);
  addAll(refusalsByField(preview.data?.refusals ?? []));
  const dirty = savedJson !== JSON.stringify(draft);
  const busy = commands.create.isPending || commands.update.isPending || commands.start.isPending;

  const change = (d: ExperimentDraft) => {
    setDraft(d);
    setNotice(null);
  };
  const save = () => {
    setShowErrors(true);
    if (!checked.ok) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form[aria-label="Experiment"] [aria-invalid="true"]')?.focus());
      return;
    }
    const d = checked.draft;
    const done = (r: Saved, words: string) => {
      setSaved({ id: r.id, version: r.version });
      setSavedJson(JSON.stringify(draft));
      setNotice(words);
      if (!saved) router.replace(`/experiments/${r.id}`);
    };
    if (saved) commands.update.mutate({ id: saved.id, version: saved.version, draft: d }, { onSuccess: (r) => done(r, `Saved (version ${r.version}).`) });
    else commands.create.mutate({ draft: d }, { onSuccess: (r) => done(r, `Saved as version ${r.version}.`) });
  };
  const reload = () => {
    const s = stale;
    if (!s || !saved) return;
    // The current row came with the conflict: it replaces the edit.
    const cur = s.current as Partial<ExperimentDraft>;
    if (cur.spec && typeof cur.name === 'string') {
      const next: ExperimentDraft = { name: cur.name, description: cur.description ?? '', templateKey: cur.templateKey ?? null, spec: cur.spec };
      setDraft(next);
      setSavedJson(JSON.stringify(next));
    }
    setSaved({ id: saved.id, version: s.currentVersion });
    commands.update.reset();
    setNotice(`Loaded version ${s.currentVersion}.`);
  };
  const start = (reason: string | null) => {
    if (!saved) return;
    commands.start.mutate(
      { experimentId: saved.id, ...(reason !== null ? overrideInput(override, reason) : {}) },
      {
        onSuccess: (r) => router.push(`/experiments/runs/${r.id}`),
        // A second refusal (a guard after the freeze was overridden) adds its override to the first.
        onError: (e) => setOverride((prev) => (isApprover ? withOverride(prev, overridableRefusal(e)) : [])),
      },
    );
  };
  const loadTemplate = (key: string) => {
    const t = templates.data?.find((x) => x.key === key);
    if (!t) return;
    change({ ...draft, templateKey: t.key, description: draft.description || t.title, spec: structuredClone(t.spec) });
    setNotice(`Loaded the template “${t.title}”.`);
  };

  return (
    <>
      <Breadcrumbs items={[{ label: 'Experiments', href: '/experiments?tab=experiments' }, { label: saved ? draft.name || 'experiment' : 'New experiment' }]} />
      <div className={styles.header}>
        <h1>{saved ? `Experiment: ${initial.name}` : 'New experiment'}</h1>
        {saved ? <ExportManifestButton subject="experiment" id={saved.id} /> : null}
      </div>
      <p className="lead">One fault on the instances the targets select, inside a blast radius, with abort conditions checked every tick. The preview lists the instances before anything is injected.</p>
      {archived ? <p role="note">This experiment is archived: it can be read, not run.</p> : !atLeast(me.role, 'operator') ? <p role="note">Viewers read experiments; an operator authors and runs them.</p> : null}
      {canAuthor ? (
        <div className={styles.actions}>
          <label className={styles.small}>
            Start from a template{' '}
            <select className={styles.select} aria-label="Template" value="" disabled={!templates.data || busy} onChange={(e) => e.target.value && loadTemplate(e.target.value)}>
              <option value="">Choose a template…</option>
              {(templates.data ?? []).map((t) => (
                <option key={t.key} value={t.key}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <div className={styles.authoring}>
        <form aria-label="Experiment" noValidate onSubmit={(e) => (e.preventDefault(), save())}>
          <ExperimentForm draft={draft} onChange={change} errors={errors} facets={facets} disabled={!canAuthor || busy} />
          {showErrors && !checked.ok ? (
            <p className={styles.fieldError} role="alert">
              Some fields need a change: they say what next to them.
            </p>
          ) : null}
          {stale ? (
            <div role="alert" className={styles.panel}>
              <p>
                This experiment changed since you opened it: it is at version {stale.currentVersion} now{stale.changedBy ? `, saved by ${stale.changedBy}` : ''}. Your changes (based on version {saved?.version}) were not saved.
              </p>
              <Button onClick={reload}>Load version {stale.currentVersion} (drops your changes)</Button>
            </div>
          ) : (
            <ErrorText error={saveError} />
          )}
          {notice ? <Notice>{notice}</Notice> : null}
          {canAuthor ? (
            <div className={styles.actions}>
              <Button type="submit" variant="primary" busy={commands.create.isPending || commands.update.isPending} busyLabel="Saving…">
                {saved ? 'Save' : 'Save experiment'}
              </Button>
              {saved ? (
                <Button variant="danger" disabled={busy || dirty} onClick={() => (commands.start.reset(), setOverride([]), setStarting(true))}>
                  Start run…
                </Button>
              ) : null}
              {saved && dirty ? <span className="muted">Save your changes before starting a run.</span> : null}
              {saved ? <Link href={`/experiments?experiment=${saved.id}`}>Runs of this experiment</Link> : null}
            </div>
          ) : null}
        </form>
        <aside className={`${styles.panel} ${styles.sticky}`} aria-labelledby="preview-heading">
          <h2 id="preview-heading">Target preview on today’s fleet</h2>
          {!atLeast(me.role, 'operator') ? (
            <p className="muted">Operators see the target preview.</p>
          ) : !forPreview.ok ? (
            <p className="muted">The preview appears once the fault and the targets are valid.</p>
          ) : preview.error ? (
            <ErrorText error={preview.error} />
          ) : shown ? (
            <TargetPreview preview={shown} blastRadius={draft.spec.blastRadius} updating={preview.pending} />
          ) : (
            <Loading what="the target preview" />
          )}
        </aside>
      </div>
      {stored ? <SchedulesPanel experiment={stored} canAuthor={canAuthor} /> : null}
      {saved ? (
        <StartRunDialog
          open={starting}
          name={draft.name}
          fault={draft.spec.fault}
          durationS={draft.spec.durationS}
          targets={preview.data?.selected ?? null}
          busy={commands.start.isPending}
          error={commands.start.error}
          override={override}
          onStart={start}
          onCancel={() => (setStarting(false), setOverride([]), commands.start.reset())}
        />
      ) : null}
    </>
  );
}
