'use client';

// First: no eval under the CSP; zod must be configured before any rollout schema module is loaded.
import '@/components/policies/zod-no-eval';
import { Field, type ControlProps } from '@/components/ui/field';
import { ANALYSIS_ALPHAS } from '@/server/domain/rollouts/spec';
import { MetricsEditor } from './metrics-editor';
import { DEFAULT_METRICS, errorsAt, type DraftSpec, type SpecErrors } from './spec-draft';
import { StepsEditor } from './steps-editor';
import { CONFIDENCE_HINT, CONFIDENCE_LABEL, confidenceOption } from './words';
import styles from './rollouts.module.css';

export interface ServiceChoice {
  name: string;
  /** The versions its instances run now, e.g. ['v1', 'v2']. */
  versions: string[];
}

interface Props {
  draft: DraftSpec;
  onChange: (d: DraftSpec) => void;
  errors: SpecErrors;
  services: ServiceChoice[];
  /** The service cannot change once a draft is saved (its rollout belongs to it). */
  serviceLocked?: boolean;
  disabled?: boolean;
}

/** The wizard: service and versions, header routes and weights in one list of steps, analysis settings. */
export function RolloutForm({ draft, onChange, errors, services, serviceLocked, disabled }: Props) {
  const set = <K extends keyof DraftSpec>(key: K, value: DraftSpec[K]) => onChange({ ...draft, [key]: value });
  const versions = services.find((s) => s.name === draft.service)?.versions ?? [];
  const versionOptions = (current: string) => (current && !versions.includes(current) ? [...versions, current] : versions);
  const err = (path: string) => errorsAt(errors, path);
  return (
    <div className={styles.form}>
      <div className={styles.formGrid}>
        <Field label="Name" hint="Shown in the fleet table and on the timeline" error={err('name')} maxLength={120} length={draft.name.length}>
          {(c) => <input {...c} value={draft.name} disabled={disabled} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Service" error={err('service')} hint={serviceLocked ? 'A saved rollout stays with its service' : undefined}>
          {(c) => (
            <select
              {...c}
              value={draft.service}
              disabled={disabled || serviceLocked}
              onChange={(e) => {
                const vs = services.find((s) => s.name === e.target.value)?.versions ?? [];
                onChange({ ...draft, service: e.target.value, stableVersion: vs[0] ?? draft.stableVersion, canaryVersion: vs[1] ?? vs[0] ?? draft.canaryVersion });
              }}
            >
              <option value="">Choose a service…</option>
              {services.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Stable version" hint="Serves everything that is not the canary" error={err('stableVersion')}>
          {(c) => <VersionSelect control={c} value={draft.stableVersion} options={versionOptions(draft.stableVersion)} disabled={disabled || !draft.service} onChange={(v) => set('stableVersion', v)} />}
        </Field>
        <Field label="Canary version" hint={versions.length < 2 && draft.service ? 'The service runs one version only: deploy the canary’s instances first' : 'The new version under test'} error={err('canaryVersion')}>
          {(c) => <VersionSelect control={c} value={draft.canaryVersion} options={versionOptions(draft.canaryVersion)} disabled={disabled || !draft.service} onChange={(v) => set('canaryVersion', v)} />}
        </Field>
      </div>
      <StepsEditor steps={draft.steps} onChange={(steps) => set('steps', steps)} errors={errors} canaryVersion={draft.canaryVersion} disabled={disabled} />
      <section aria-labelledby="analysis-heading">
        <h2 id="analysis-heading">Analysis</h2>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.backgroundAnalysis !== null} disabled={disabled} onChange={(e) => set('backgroundAnalysis', e.target.checked ? { metrics: DEFAULT_METRICS.map((m) => ({ ...m })) } : null)} /> Background analysis: from the first canary traffic to the end; a failure rolls back at any step
        </label>
        {draft.backgroundAnalysis ? (
          <MetricsEditor label="Background analysis metrics" metrics={draft.backgroundAnalysis.metrics} path="backgroundAnalysis.metrics" errors={errors} disabled={disabled} onChange={(metrics) => set('backgroundAnalysis', { metrics })} />
        ) : null}
        <Field label={CONFIDENCE_LABEL} hint={CONFIDENCE_HINT} error={err('alpha')}>
          {(c) => (
            <select {...c} value={draft.alpha} disabled={disabled} onChange={(e) => set('alpha', Number(e.target.value) as DraftSpec['alpha'])}>
              {ANALYSIS_ALPHAS.map((a) => (
                <option key={a} value={a}>
                  {confidenceOption(a)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </section>
    </div>
  );
}

function VersionSelect({ control, value, options, disabled, onChange }: { control: ControlProps; value: string; options: string[]; disabled?: boolean; onChange: (v: string) => void }) {
  return (
    <select {...control} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      {value === '' ? <option value="">Choose a version…</option> : null}
      {options.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}
