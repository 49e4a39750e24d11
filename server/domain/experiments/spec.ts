// What an operator authors for a chaos experiment: one fault, where it goes (targets by topology
// and labels, a selection mode, a blast-radius cap), an optional cohort, how long, the
// steady-state hypothesis checked before injecting, and the abort conditions checked every tick.
// One zod schema validates the form, the YAML view, the API and the stored row.
import { z } from 'zod';
import { list, name, text } from '../inputs';
import { STAGES } from '../model';
import { headerValueProblem } from '../header-route-values';

const pct = (what: string) =>
  z.number({ error: `${what}: expected a percentage from 0 to 100` }).min(0, `${what}: expected a percentage from 0 to 100`).max(100, `${what}: expected a percentage from 0 to 100`);
const ms = (what: string) => z.number({ error: `${what}: expected milliseconds ≥ 0` }).min(0, `${what}: expected milliseconds ≥ 0`).max(600_000, `${what}: expected at most 600000 ms`);
const seconds = (what: string, min: number, max: number) =>
  z.number({ error: `${what}: expected a number of seconds` }).int(`${what}: whole seconds`).min(min, `${what}: at least ${min} s`).max(max, `${what}: at most ${max} s`);
const count = (what: string, min: number, max: number) =>
  z.number({ error: `${what}: expected a whole number` }).int(`${what}: a whole number`).min(min, `${what}: at least ${min}`).max(max, `${what}: at most ${max}`);

export const FAULT_KINDS = ['delay', 'loss', 'http-error', 'kill', 'drain', 'cpu-stress', 'buffer-saturation'] as const;
/**
 * The kinds that act on requests, so a cohort (requests carrying a header value) can scope them;
 * the rest (kill, drain, cpu-stress, buffer-saturation) hit the whole instance. The one list: the
 * refusals and the simulator both read it.
 */
export const REQUEST_FAULT_KINDS = ['delay', 'loss', 'http-error'] as const satisfies readonly (typeof FAULT_KINDS)[number][];

/** SPEC §3.7 fault kinds. Delay jitter follows a normal distribution (as `tc netem … distribution normal`). */
export const faultSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('delay'), delayMs: ms('delayMs'), jitterMs: ms('jitterMs') }).strict(),
    z.object({ kind: z.literal('loss'), pct: pct('pct') }).strict(),
    z.object({ kind: z.literal('http-error'), status: z.number().int('status: expected an HTTP status').min(400, 'status: expected an HTTP error status 400–599').max(599, 'status: expected an HTTP error status 400–599'), pct: pct('pct') }).strict(),
    z.object({ kind: z.literal('kill') }).strict(),
    z.object({ kind: z.literal('drain') }).strict(),
    z.object({ kind: z.literal('cpu-stress'), pct: pct('pct') }).strict(),
    z.object({ kind: z.literal('buffer-saturation'), stage: z.enum(STAGES, { error: `stage: expected one of ${STAGES.join(', ')}` }), fillPct: pct('fillPct') }).strict(),
  ],
  { error: `kind: expected one of ${FAULT_KINDS.join(', ')}` },
);
export type FaultSpecValue = z.output<typeof faultSpecSchema>;

const label = () => text(100, { min: 1, required: 'Enter a value' });
const names = () => list(label(), 50).default([]);

/** Which instances may be hit: every list empty = any; within a list any value; across lists all. */
export const targetSelectorSchema = z
  .object({
    regions: names(),
    zones: names(),
    clusters: names(),
    services: names(),
    versions: names(),
    /** Instance labels that must all match (key = value). */
    labels: z.record(text(100, { min: 1 }), text(200)).refine((r) => Object.keys(r).length <= 20, 'At most 20 labels').default({}),
  })
  .strict();
export type TargetSelector = z.output<typeof targetSelectorSchema>;

export const SELECTION_MODES = ['all', 'one', 'count', 'percent', 'random-up-to'] as const;
export const selectionSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('all') }).strict(),
    z.object({ mode: z.literal('one') }).strict(),
    z.object({ mode: z.literal('count'), count: count('Count', 1, 10_000) }).strict(),
    z.object({ mode: z.literal('percent'), pct: pct('Percent').min(1, 'Percent: at least 1 %') }).strict(),
    /** A random number of instances from one up to pct % of the matches. */
    z.object({ mode: z.literal('random-up-to'), pct: pct('Percent').min(1, 'Percent: at least 1 %') }).strict(),
  ],
  { error: `Selection: one of ${SELECTION_MODES.join(', ')}` },
);
export type Selection = z.output<typeof selectionSchema>;

/** Caps on the share of instances hit; the admin's global maximum applies on top (no experiment exceeds it). */
export const blastRadiusSchema = z
  .object({
    /** Max % of each targeted service's instances. */
    maxServicePct: pct('Max % of a service').min(1, 'Max % of a service: at least 1 %').default(50),
    /** Max % of a zone's / cluster's instances (of the targeted services); null = no cap of its own. */
    maxZonePct: pct('Max % of a zone').min(1, 'Max % of a zone: at least 1 %').nullable().default(null),
    maxClusterPct: pct('Max % of a cluster').min(1, 'Max % of a cluster: at least 1 %').nullable().default(null),
  })
  .strict();
export type BlastRadius = z.output<typeof blastRadiusSchema>;

export const cohortSchema = z
  .object({
    header: text(100, { min: 1, required: 'Enter a header name' }).regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'A header name: letters, digits and dashes (such as X-Abtest-Group)'),
    value: text(200, { min: 1, required: 'Enter the header value' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const p = headerValueProblem(c.value);
    if (p) ctx.addIssue({ code: 'custom', path: ['value'], message: p });
  });
export type Cohort = z.output<typeof cohortSchema>;

export const CONDITION_KINDS = ['availability-below', 'p99-above', 'breakers-open-above', 'degraded-at-least'] as const;
/** An SLO check over the targeted services' instances; it "fires" when the bad thing is true. */
export const conditionSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('availability-below'), pct: pct('Availability').min(1, 'Availability: at least 1 %'), windowS: seconds('Window', 5, 3600) }).strict(),
    z.object({ kind: z.literal('p99-above'), ms: z.number({ error: 'P99: expected milliseconds' }).min(1, 'P99: at least 1 ms').max(600_000, 'P99: at most 600000 ms'), windowS: seconds('Window', 5, 3600) }).strict(),
    z.object({ kind: z.literal('breakers-open-above'), count: count('Breakers', 0, 10_000) }).strict(),
    /** N or more instances at degradation level L2 or above. */
    z.object({ kind: z.literal('degraded-at-least'), count: count('Instances', 1, 10_000) }).strict(),
  ],
  { error: `Condition: one of ${CONDITION_KINDS.join(', ')}` },
);
export type Condition = z.output<typeof conditionSchema>;

const DAY_S = 86_400;

export const experimentSpecSchema = z
  .object({
    fault: faultSpecSchema,
    targets: targetSelectorSchema,
    selection: selectionSchema.default({ mode: 'all' }),
    blastRadius: blastRadiusSchema.default({ maxServicePct: 50, maxZonePct: null, maxClusterPct: null }),
    /** Only requests carrying this header are affected; null = all requests. */
    cohort: cohortSchema.nullable().default(null),
    durationS: seconds('Duration', 10, DAY_S),
    /** Checked over the window before injecting: the run does not inject while any of them fires. */
    steadyState: list(conditionSchema, 10).default([]),
    /** Checked every tick while faults are in; the first that fires aborts the run. */
    abortConditions: list(conditionSchema, 10).default([]),
    /** Availability the report compares every layer against, in %. */
    availabilityTargetPct: z.number({ error: 'Availability target: expected a percentage' }).min(50, 'Availability target: at least 50 %').max(100, 'Availability target: at most 100 %').default(99.9),
    /** Baseline window before injection that the report subtracts. */
    baselineS: seconds('Baseline window', 10, 3600).default(60),
    /** How long after removal the report watches for self-heal. */
    observeS: seconds('Observation window', 10, 3600).default(120),
  })
  .strict();
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;

/** An experiment as stored and edited: a name, words, and the spec. */
export const experimentDraftSchema = z
  .object({
    name: name(120),
    description: text(2000, { multiline: true }).default(''),
    templateKey: text(64).nullable().default(null),
    spec: experimentSpecSchema,
  })
  .strict();
export type ExperimentDraft = z.output<typeof experimentDraftSchema>;
