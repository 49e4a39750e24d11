// What an operator authors: a canary rollout of one service from a stable to a canary version,
// as an ordered list of steps. One zod schema validates the wizard, the YAML view, the API and
// the stored row (the console imports it too, so a field error shows before anything is sent).
import { z } from 'zod';
import { list, name, text } from '../inputs';
import { headerValueProblem } from '../header-route-values';
import { unsafeRegexProblem } from '../safe-regex';

export const HEADER_MATCHES = ['exact', 'prefix', 'regex'] as const;
export const APPROVAL_ON_EXPIRY = ['stay-paused', 'abort'] as const;
/** Confidence levels offered: 1 − α. */
export const ANALYSIS_ALPHAS = [0.001, 0.01, 0.05] as const;
export const LATENCY_QUANTILES = [50, 90, 95, 99] as const;

const MAX_STEPS = 50;
const DAY_S = 86_400;

const appVersion = () =>
  text(64, { min: 1, required: 'Enter a version' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, dot, dash and underscore only (such as v2 or 1.4.0)');
const headerName = () =>
  text(100, { min: 1, required: 'Enter a header name' }).regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'A header name: letters, digits and dashes (such as X-Abtest-Group)');
const seconds = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what}: expected a number of seconds` })
    .int(`${what}: whole seconds`)
    .min(min, `${what}: at least ${min} s`)
    .max(max, `${what}: at most ${max} s`);
const margin = () => z.number({ error: 'Expected a percentage' }).min(1, 'At least 1 %').max(1000, 'At most 1000 %');

/** One metric of an analysis and the regression it tolerates, relative to stable. */
export const analysisMetricSchema = z.discriminatedUnion(
  'metric',
  [
    z.object({ metric: z.literal('error-rate'), maxIncreasePct: margin() }).strict(),
    z
      .object({
        metric: z.literal('latency'),
        quantile: z.union(LATENCY_QUANTILES.map((q) => z.literal(q)), { error: `Quantile: one of ${LATENCY_QUANTILES.join(', ')}` }),
        maxIncreasePct: margin(),
      })
      .strict(),
  ],
  { error: 'Metric: error-rate or latency' },
);
export type AnalysisMetric = z.output<typeof analysisMetricSchema>;

const metrics = () =>
  list(analysisMetricSchema, 4)
    .min(1, 'Choose at least one metric')
    .refine((ms) => new Set(ms.map((m) => (m.metric === 'latency' ? `latency-${m.quantile}` : m.metric))).size === ms.length, 'Each metric at most once');

export const rolloutStepSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('setWeight'), weight: z.number({ error: 'Weight: expected a percentage' }).int('Weight: a whole percentage').min(0, 'Weight: at least 0 %').max(100, 'Weight: at most 100 %') }).strict(),
    z
      .object({
        kind: z.literal('setHeaderRoute'),
        header: headerName(),
        match: z.enum(HEADER_MATCHES, { error: 'Match: exact, prefix or regex' }),
        value: text(200, { min: 1, required: 'Enter the value to match' }),
      })
      .strict()
      .superRefine((s, ctx) => {
        const unroutable = headerValueProblem(s.value);
        if (unroutable) ctx.addIssue({ code: 'custom', path: ['value'], message: unroutable });
        if (s.match !== 'regex') return;
        try {
          new RegExp(s.value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['value'], message: `Not a valid regular expression: ${(err as Error).message}` });
          return;
        }
        // It runs against client-controlled header values on every request: a safe subset only.
        const unsafe = unsafeRegexProblem(s.value);
        if (unsafe) ctx.addIssue({ code: 'custom', path: ['value'], message: unsafe });
      }),
    /** Without `seconds` the rollout waits for a person to resume it. */
    z.object({ kind: z.literal('pause'), seconds: seconds('Pause', 1, 7 * DAY_S).optional() }).strict(),
    z
      .object({
        kind: z.literal('approval'),
        quorum: z.number({ error: 'Quorum: expected a number of approvers' }).int('Quorum: a whole number').min(1, 'Quorum: at least 1 approver').max(10, 'Quorum: at most 10 approvers'),
        expiresInS: seconds('Expiry', 60, 7 * DAY_S),
        onExpiry: z.enum(APPROVAL_ON_EXPIRY, { error: 'On expiry: stay-paused or abort' }),
      })
      .strict(),
    z.object({ kind: z.literal('analysis'), metrics: metrics(), seconds: seconds('Analysis', 10, DAY_S) }).strict(),
  ],
  { error: 'Step kind: setWeight, setHeaderRoute, pause, approval or analysis' },
);
export type RolloutStep = z.output<typeof rolloutStepSchema>;
export type RolloutStepKind = RolloutStep['kind'];

export const rolloutSpecSchema = z
  .object({
    name: name(120),
    service: name(),
    stableVersion: appVersion(),
    canaryVersion: appVersion(),
    steps: list(rolloutStepSchema, MAX_STEPS).min(1, 'Add at least one step'),
    /** Runs from the first canary traffic to the end; a failure rolls back at any step. */
    backgroundAnalysis: z.object({ metrics: metrics() }).strict().nullable().default(null),
    /** False-detection probability of every analysis, held at every look (anytime-valid). */
    alpha: z.union(ANALYSIS_ALPHAS.map((a) => z.literal(a)), { error: `Alpha: one of ${ANALYSIS_ALPHAS.join(', ')}` }).default(0.01),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.stableVersion === s.canaryVersion) ctx.addIssue({ code: 'custom', path: ['canaryVersion'], message: 'The canary version must differ from the stable version' });
  });
export type RolloutSpec = z.output<typeof rolloutSpecSchema>;
export type RolloutSpecInput = z.input<typeof rolloutSpecSchema>;

/** The seed's canary: the X-Abtest-Group cohort first, then 5 → 20 → 50 % behind an approval and analysis. */
export function exampleSpec(service: string, stableVersion = 'v1', canaryVersion = 'v2'): RolloutSpec {
  return {
    name: `${service} ${canaryVersion}`,
    service,
    stableVersion,
    canaryVersion,
    steps: [
      { kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'exact', value: `${canaryVersion}-canary` },
      { kind: 'setWeight', weight: 5 },
      { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }, { metric: 'latency', quantile: 95, maxIncreasePct: 20 }], seconds: 120 },
      { kind: 'approval', quorum: 1, expiresInS: 3600, onExpiry: 'stay-paused' },
      { kind: 'setWeight', weight: 20 },
      { kind: 'pause', seconds: 60 },
      { kind: 'setWeight', weight: 50 },
      { kind: 'pause', seconds: 60 },
    ],
    backgroundAnalysis: { metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }, { metric: 'latency', quantile: 95, maxIncreasePct: 20 }] },
    alpha: 0.01,
  };
}
