// What the Chaos Mesh export and import agree on: the API group, the resource kinds and where a
// Schedule embeds each one, the label keys our targets become, the selection modes, and the
// annotation keeping what Chaos Mesh has no field for (so that importing the export gives back
// the same experiment).
import { z } from 'zod';
import { list, text } from '../inputs';
import { blastRadiusSchema, cohortSchema, conditionSchema, type Selection } from '../experiments/spec';
import { ANNOTATION_PREFIX } from './documents';

export const CHAOS_API_VERSION = 'chaos-mesh.org/v1alpha1';
export const EXPERIMENT_ANNOTATION = `${ANNOTATION_PREFIX}experiment`;
/** Chaos Mesh's own annotation that pauses a Schedule (a disabled schedule of ours). */
export const PAUSE_ANNOTATION = 'experiment.chaos-mesh.org/pause';

export const CHAOS_KINDS = ['NetworkChaos', 'HTTPChaos', 'PodChaos', 'StressChaos'] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];
/** The field of a Schedule's spec that holds the chaos of each kind. */
export const SCHEDULE_FIELD: Record<ChaosKind, string> = { NetworkChaos: 'networkChaos', HTTPChaos: 'httpChaos', PodChaos: 'podChaos', StressChaos: 'stressChaos' };

/** Pod labels our service and version targets become; node labels for zones and regions. */
export const SERVICE_LABEL = 'app';
export const VERSION_LABEL = 'version';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
/** The container port an HTTPChaos proxies: Switchback does not know it, the notes say so. */
export const HTTP_PORT = 80;

export const CHAOS_MODES: Record<Selection['mode'], string> = { all: 'all', one: 'one', count: 'fixed', percent: 'fixed-percent', 'random-up-to': 'random-max-percent' };

const names = () => list(text(100, { min: 1 }), 50);
/** What the resource annotation keeps: fields of the experiment Chaos Mesh has no place for. */
export const experimentAnnotationSchema = z
  .object({
    description: text(2000, { multiline: true }).optional(),
    templateKey: text(64).nullable().optional(),
    blastRadius: blastRadiusSchema.optional(),
    steadyState: list(conditionSchema, 10).optional(),
    abortConditions: list(conditionSchema, 10).optional(),
    availabilityTargetPct: z.number().min(50).max(100).optional(),
    baselineS: z.number().int().min(10).max(3600).optional(),
    observeS: z.number().int().min(10).max(3600).optional(),
    /** Exact values the resource holds rounded or not at all. */
    jitterMs: z.number().min(0).max(600_000).optional(),
    pct: z.number().min(0).max(100).optional(),
    selectionPct: z.number().min(1).max(100).optional(),
    cohort: cohortSchema.optional(),
    /** Instance labels the selector could not hold (they clash with the service or version label). */
    labels: z.record(text(100, { min: 1 }), text(200)).refine((r) => Object.keys(r).length <= 20).optional(),
    /** Keys of the selector's labels that are instance labels although named like the service or version label. */
    labelKeys: list(text(100), 2).optional(),
    zones: names().optional(),
    regions: names().optional(),
    clusters: names().optional(),
  })
  .strict();
export type ExperimentAnnotation = z.output<typeof experimentAnnotationSchema>;

/** Milliseconds as a Chaos Mesh duration ("200ms", "0.5ms"). */
export function msDuration(ms: number): string {
  return `${Number(ms.toFixed(3))}ms`;
}
