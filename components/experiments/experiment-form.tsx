'use client';

// First: no eval under the CSP; zod must be configured before any experiment schema module is loaded.
import '@/components/policies/zod-no-eval';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/rollouts/number-input';
import { FAULT_KINDS, SELECTION_MODES, type ExperimentDraft, type ExperimentSpec } from '@/server/domain/experiments/spec';
import { STAGES } from '@/server/domain/model';
import { ChipsField } from './chips-field';
import { ConditionsEditor } from './conditions-editor';
import { LabelsEditor } from './labels-editor';
import { errorsAt, newFault, newSelection, type DraftErrors } from './spec-draft';
import { FAULT_LABELS, SELECTION_LABELS } from './words';
import styles from './experiments.module.css';

export interface Facets {
  regions: string[];
  zones: string[];
  clusters: string[];
  services: string[];
  versions: string[];
}

interface Props {
  draft: ExperimentDraft;
  onChange: (d: ExperimentDraft) => void;
  errors: DraftErrors;
  facets: Facets;
  disabled?: boolean;
}

/** Every field of an experiment: fault, targets, selection, blast radius, cohort, timing, conditions. */
export function ExperimentForm({ draft, onChange, errors, facets, disabled }: Props) {
  const spec = draft.spec;
  const setSpec = (patch: Partial<ExperimentSpec>) => onChange({ ...draft, spec: { ...spec, ...patch } });
  const err = (path: string, deep = false) => errorsAt(errors, path, deep);
  const f = spec.fault;
  const b = spec.blastRadius;
  return (
    <div className={styles.form}>
      <div className={styles.formGrid}>
        <Field label="Name" hint="Shown in the lists and on the timeline" error={err('name')} maxLength={120} length={draft.name.length}>
          {(c) => <input {...c} value={draft.name} disabled={disabled} onChange={(e) => onChange({ ...draft, name: e.target.value })} />}
        </Field>
        <Field label="Description" error={err('description')} maxLength={2000} length={draft.description.length}>
          {(c) => <input {...c} value={draft.description} disabled={disabled} onChange={(e) => onChange({ ...draft, description: e.target.value })} />}
        </Field>
      </div>

      <section aria-labelledby="fault-heading">
        <h2 id="fault-heading">Fault</h2>
        <div className={styles.formGrid}>
          <Field label="Fault kind" error={err('spec.fault.kind')}>
            {(c) => (
              <select {...c} value={f.kind} disabled={disabled} onChange={(e) => setSpec({ fault: newFault(e.target.value as (typeof FAULT_KINDS)[number]) })}>
                {FAULT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {FAULT_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {f.kind === 'delay' ? (
            <>
              <Field label="Delay" hint="Added to every affected request" error={err('spec.fault.delayMs')}>
                {(c) => <NumberInput control={c} value={f.delayMs} unit="ms" min={0} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, delayMs: v } })} />}
              </Field>
              <Field label="Jitter" hint="Standard deviation of a normal distribution" error={err('spec.fault.jitterMs')}>
                {(c) => <NumberInput control={c} value={f.jitterMs} unit="ms" min={0} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, jitterMs: v } })} />}
              </Field>
            </>
          ) : null}
          {f.kind === 'loss' || f.kind === 'cpu-stress' ? (
            <Field label={f.kind === 'loss' ? 'Packets lost' : 'CPU taken'} error={err('spec.fault.pct')}>
              {(c) => <NumberInput control={c} value={f.pct} unit="%" min={0} max={100} step={0.1} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, pct: v } })} />}
            </Field>
          ) : null}
          {f.kind === 'http-error' ? (
            <>
              <Field label="Status" error={err('spec.fault.status')}>
                {(c) => <NumberInput control={c} value={f.status} min={400} max={599} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, status: v } })} />}
              </Field>
              <Field label="Share of requests" error={err('spec.fault.pct')}>
                {(c) => <NumberInput control={c} value={f.pct} unit="%" min={0} max={100} step={0.1} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, pct: v } })} />}
              </Field>
            </>
          ) : null}
          {f.kind === 'buffer-saturation' ? (
            <>
              <Field label="Stage" error={err('spec.fault.stage')}>
                {(c) => (
                  <select {...c} value={f.stage} disabled={disabled} onChange={(e) => setSpec({ fault: { ...f, stage: e.target.value as (typeof STAGES)[number] } })}>
                    {STAGES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Buffer fill" error={err('spec.fault.fillPct')}>
                {(c) => <NumberInput control={c} value={f.fillPct} unit="%" min={0} max={100} disabled={disabled} onChange={(v) => setSpec({ fault: { ...f, fillPct: v } })} />}
              </Field>
            </>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading">Targets</h2>
        <p className={`muted ${styles.small}`}>Empty = any. Within a list any value matches; across lists all must match.</p>
        <div className={styles.targetsGrid}>
          {(['services', 'regions', 'zones', 'clusters', 'versions'] as const).map((k) => (
            <ChipsField key={k} label={k.charAt(0).toUpperCase() + k.slice(1)} values={spec.targets[k]} options={facets[k]} disabled={disabled} error={err(`spec.targets.${k}`, true)} onChange={(v) => setSpec({ targets: { ...spec.targets, [k]: v } })} />
          ))}
        </div>
        <LabelsEditor labels={spec.targets.labels} disabled={disabled} error={err('spec.targets.labels', true)} onChange={(labels) => setSpec({ targets: { ...spec.targets, labels } })} />
        <div className={styles.formGrid}>
          <Field label="Selection" hint="Which of the matching instances get the fault" error={err('spec.selection', true)}>
            {(c) => (
              <select {...c} value={spec.selection.mode} disabled={disabled} onChange={(e) => setSpec({ selection: newSelection(e.target.value as (typeof SELECTION_MODES)[number]) })}>
                {SELECTION_MODES.map((m) => (
                  <option key={m} value={m}>
                    {SELECTION_LABELS[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {spec.selection.mode === 'count' ? (
            <Field label="How many" error={err('spec.selection.count')}>
              {(c) => <NumberInput control={c} value={spec.selection.mode === 'count' ? spec.selection.count : 1} min={1} disabled={disabled} onChange={(v) => setSpec({ selection: { mode: 'count', count: v } })} />}
            </Field>
          ) : null}
          {spec.selection.mode === 'percent' || spec.selection.mode === 'random-up-to' ? (
            <Field label="Percent of matches" error={err('spec.selection.pct')}>
              {(c) => <NumberInput control={c} value={'pct' in spec.selection ? spec.selection.pct : 10} unit="%" min={1} max={100} disabled={disabled} onChange={(v) => setSpec({ selection: { mode: spec.selection.mode as 'percent', pct: v } })} />}
            </Field>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="blast-heading">
        <h2 id="blast-heading">Blast radius</h2>
        <p className={`muted ${styles.small}`}>The run is refused when its targets exceed a cap; the admin’s global maximum applies on top, to every service, zone and cluster.</p>
        <div className={styles.formGrid}>
          <Field label="Max % of a service" hint="Of each targeted service’s instances" error={err('spec.blastRadius.maxServicePct')}>
            {(c) => <NumberInput control={c} value={b.maxServicePct} unit="%" min={1} max={100} disabled={disabled} onChange={(v) => setSpec({ blastRadius: { ...b, maxServicePct: v } })} />}
          </Field>
          <OptionalPct label="Max % of a zone" value={b.maxZonePct} error={err('spec.blastRadius.maxZonePct')} disabled={disabled} onChange={(v) => setSpec({ blastRadius: { ...b, maxZonePct: v } })} />
          <OptionalPct label="Max % of a cluster" value={b.maxClusterPct} error={err('spec.blastRadius.maxClusterPct')} disabled={disabled} onChange={(v) => setSpec({ blastRadius: { ...b, maxClusterPct: v } })} />
        </div>
      </section>

      <section aria-labelledby="cohort-heading">
        <h2 id="cohort-heading">Cohort</h2>
        <label className={styles.check}>
          <input type="checkbox" checked={spec.cohort !== null} disabled={disabled} onChange={(e) => setSpec({ cohort: e.target.checked ? { header: 'X-Abtest-Group', value: 'v2-canary' } : null })} /> Only requests carrying a header (where the adapter supports it)
        </label>
        {spec.cohort ? (
          <div className={styles.formGrid}>
            <Field label="Cohort header" error={err('spec.cohort.header')} maxLength={100} length={spec.cohort.header.length}>
              {(c) => <input {...c} value={spec.cohort?.header ?? ''} disabled={disabled} onChange={(e) => setSpec({ cohort: { header: e.target.value, value: spec.cohort?.value ?? '' } })} />}
            </Field>
            <Field label="Cohort value" error={err('spec.cohort.value')} maxLength={200} length={spec.cohort.value.length}>
              {(c) => <input {...c} value={spec.cohort?.value ?? ''} disabled={disabled} onChange={(e) => setSpec({ cohort: { header: spec.cohort?.header ?? '', value: e.target.value } })} />}
            </Field>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="timing-heading">
        <h2 id="timing-heading">Timing and the report</h2>
        <div className={styles.formGrid}>
          <Field label="Duration" hint="How long the fault stays in" error={err('spec.durationS')}>
            {(c) => <NumberInput control={c} value={spec.durationS} unit="s" min={10} disabled={disabled} onChange={(v) => setSpec({ durationS: v })} />}
          </Field>
          <Field label="Availability target" hint="Each layer is judged against it" error={err('spec.availabilityTargetPct')}>
            {(c) => <NumberInput control={c} value={spec.availabilityTargetPct} unit="%" min={50} max={100} step={0.01} disabled={disabled} onChange={(v) => setSpec({ availabilityTargetPct: v })} />}
          </Field>
          <Field label="Baseline window" hint="Before injection; subtracted in the report" error={err('spec.baselineS')}>
            {(c) => <NumberInput control={c} value={spec.baselineS} unit="s" min={10} disabled={disabled} onChange={(v) => setSpec({ baselineS: v })} />}
          </Field>
          <Field label="Observation window" hint="After removal: how long to wait for self-heal" error={err('spec.observeS')}>
            {(c) => <NumberInput control={c} value={spec.observeS} unit="s" min={10} disabled={disabled} onChange={(v) => setSpec({ observeS: v })} />}
          </Field>
        </div>
      </section>

      <ConditionsEditor title="Steady-state hypothesis" explain="Checked before injecting: the run does not inject while any of these fires." name="Steady-state condition" path="spec.steadyState" conditions={spec.steadyState} errors={errors} disabled={disabled} onChange={(steadyState) => setSpec({ steadyState })} />
      <ConditionsEditor title="Abort conditions" explain="Checked every tick while the fault is in: the first that fires stops the run and removes the fault." name="Abort condition" path="spec.abortConditions" conditions={spec.abortConditions} errors={errors} disabled={disabled} onChange={(abortConditions) => setSpec({ abortConditions })} />
    </div>
  );
}

function OptionalPct({ label, value, onChange, error, disabled }: { label: string; value: number | null; onChange: (v: number | null) => void; error?: string[]; disabled?: boolean }) {
  return (
    <Field label={label} hint={value === null ? 'No cap of its own: the admin’s global maximum applies' : 'Of the targeted services’ instances there'} error={error}>
      {(c) => (
        <span style={{ display: 'inline-flex', gap: '0.5rem', alignItems: 'center' }}>
          <input type="checkbox" aria-label={`Cap: ${label}`} checked={value !== null} disabled={disabled} onChange={(e) => onChange(e.target.checked ? 50 : null)} />
          {value !== null ? <NumberInput control={c} value={value} unit="%" min={1} max={100} disabled={disabled} onChange={onChange} /> : <span className="muted">no cap</span>}
        </span>
      )}
    </Field>
  );
}
