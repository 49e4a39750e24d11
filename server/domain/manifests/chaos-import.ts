// Chaos Mesh resources read back as a draft of our experiment: a NetworkChaos, HTTPChaos,
// PodChaos or StressChaos (or a Schedule embedding one) becomes the fault, its selector the
// targets, its mode the selection. What Chaos Mesh lacks comes from the export's annotation or
// is defaulted with a note; what has no Switchback equivalent is refused or dropped in words.
// The result is validated by experimentDraftSchema.
import { experimentDraftSchema, type ExperimentDraft, type FaultSpecValue, type Selection, type TargetSelector } from '../experiments/spec';
import { at, describeDoc, isObject, issueWords, NAME_ANNOTATION, parseGoDuration, readDocuments, readJsonAnnotation, type KubeObject, type ManifestImport } from './documents';
import { CHAOS_API_VERSION, CHAOS_KINDS, EXPERIMENT_ANNOTATION, experimentAnnotationSchema, REGION_LABEL, SCHEDULE_FIELD, SERVICE_LABEL, VERSION_LABEL, ZONE_LABEL, type ChaosKind, type ExperimentAnnotation } from './chaos-shared';
import type { ScheduleMeta } from './chaos-export';

export interface ImportedExperiment {
  draft: ExperimentDraft;
  /** Schedules the YAML held; the import creates the draft only, the notes say so. */
  schedules: ScheduleMeta[];
}

const DAY_S = 86_400;

export function chaosMeshToExperimentDraft(yaml: string): ManifestImport<ImportedExperiment> {
  const read = readDocuments(yaml);
  if (!read.ok) return read;
  const notes: string[] = [];
  const problems: string[] = [];
  const known = read.documents.map((d, i) => ({ d, i })).filter(({ d }) => d.kind === 'Schedule' || (CHAOS_KINDS as readonly unknown[]).includes(d.kind));
  read.documents.forEach((d, i) => {
    if (!known.some((k) => k.i === i)) notes.push(`${describeDoc(d, i)} is not a Chaos Mesh resource Switchback reads (${CHAOS_KINDS.join(', ')}, Schedule): ignored`);
  });
  if (known.length === 0) return { ok: false, problems: [`No Chaos Mesh resource in the YAML: expected a ${CHAOS_KINDS.join(', ')} or Schedule (apiVersion ${CHAOS_API_VERSION})`] };
  const first = known[0]!;
  const doc = first.d;
  if (known.length > 1 && known.some(({ d }) => d.kind !== 'Schedule')) notes.push(`${known.length} Chaos Mesh resources in the YAML: one experiment is made of the first, ${describeDoc(doc, first.i)}`);
  if (doc.apiVersion !== CHAOS_API_VERSION) return { ok: false, problems: [`${describeDoc(doc, first.i)}: apiVersion ${JSON.stringify(doc.apiVersion ?? null)}, expected ${CHAOS_API_VERSION}`] };

  let kind: ChaosKind;
  let spec: unknown;
  const schedules: ScheduleMeta[] = [];
  if (doc.kind === 'Schedule') {
    const type = at(doc, 'spec', 'type');
    if (!(CHAOS_KINDS as readonly unknown[]).includes(type)) return { ok: false, problems: [`${describeDoc(doc, first.i)} schedules ${JSON.stringify(type ?? null)}: Switchback reads schedules of ${CHAOS_KINDS.join(', ')}`] };
    kind = type as ChaosKind;
    spec = at(doc, 'spec', SCHEDULE_FIELD[kind]);
    for (const { d } of known) {
      if (d.kind !== 'Schedule') continue;
      const cron = at(d, 'spec', 'schedule');
      const limit = at(d, 'spec', 'historyLimit');
      if (typeof cron !== 'string') continue;
      schedules.push({
        cron: cron.slice(0, 120),
        concurrency: at(d, 'spec', 'concurrencyPolicy') === 'Allow' ? 'allow' : 'forbid',
        historyLimit: typeof limit === 'number' && Number.isInteger(limit) ? Math.min(100, Math.max(1, limit)) : 10,
        enabled: at(d, 'metadata', 'annotations', 'experiment.chaos-mesh.org/pause') !== 'true',
      });
    }
    notes.push(`${schedules.length === 1 ? 'The schedule' : `${schedules.length} schedules`} (${schedules.map((s) => s.cron).join('; ')}) ${schedules.length === 1 ? 'is' : 'are'} not created by the import: add ${schedules.length === 1 ? 'it' : 'them'} on the experiment page (cron in UTC).`);
  } else {
    kind = doc.kind as ChaosKind;
    spec = doc.spec;
  }
  if (!isObject(spec)) return { ok: false, problems: [`${describeDoc(doc, first.i)} has no ${kind} spec`] };

  const ann = experimentAnnotationSchema.safeParse(readJsonAnnotation(doc, EXPERIMENT_ANNOTATION, notes) ?? {});
  if (!ann.success) notes.push(`The annotation ${EXPERIMENT_ANNOTATION} does not hold what Switchback wrote: ignored`);
  const kept: ExperimentAnnotation = ann.success ? ann.data : {};

  const fault = faultOf(kind, spec, kept, problems, notes);
  const targets = targetsOf(spec, kept, notes);
  const selection = selectionOf(spec, kept, problems);
  const durationMs = parseGoDuration(spec.duration);
  if (spec.duration === undefined) notes.push('No duration (Chaos Mesh would keep the fault in until the resource is deleted): set to 120 s');
  else if (durationMs === null) problems.push(`duration ${JSON.stringify(spec.duration)} is not a duration (such as 120s or 5m)`);
  const durationS = durationMs === null ? 120 : Math.min(DAY_S, Math.max(10, Math.round(durationMs / 1000)));
  if (durationMs !== null && durationS * 1000 !== durationMs) notes.push(`Duration ${String(spec.duration)}: Switchback runs whole seconds from 10 s to 24 h — set to ${durationS} s`);
  const headers = at(spec, 'request_headers');
  const cohortFromHeaders = isObject(headers) ? Object.entries(headers)[0] : undefined;
  if (isObject(headers) && Object.keys(headers).length > 1) notes.push('Only the first request header match is read as the cohort');
  if (problems.length || !fault) return { ok: false, problems };

  const nameAnn = at(doc, 'metadata', 'annotations', NAME_ANNOTATION);
  const metaName = at(doc, 'metadata', 'name');
  if (typeof nameAnn !== 'string' && typeof metaName !== 'string') return { ok: false, problems: [`${describeDoc(doc, first.i)} has no metadata.name`] };
  if (kept.abortConditions === undefined) notes.push('Abort conditions are not Chaos Mesh fields: none — add them in the draft before running it');
  if (kept.blastRadius === undefined) notes.push('Blast-radius caps are not Chaos Mesh fields: the default cap (50 % of a service) applies');

  const parsed = experimentDraftSchema.safeParse({
    name: typeof nameAnn === 'string' ? nameAnn : metaName,
    description: kept.description ?? `Imported from the ${kind} "${String(metaName ?? nameAnn).slice(0, 100)}"`,
    templateKey: kept.templateKey ?? null,
    spec: {
      fault,
      targets,
      selection,
      cohort: cohortFromHeaders ? { header: cohortFromHeaders[0], value: String(cohortFromHeaders[1]) } : (kept.cohort ?? null),
      durationS,
      ...pick(kept, ['blastRadius', 'steadyState', 'abortConditions', 'availabilityTargetPct', 'baselineS', 'observeS']),
    },
  });
  if (!parsed.success) return { ok: false, problems: issueWords(parsed.error.issues, 'The experiment read from the YAML is not valid: ') };
  return { ok: true, value: { draft: parsed.data, schedules }, notes };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const ms = (v: unknown): number | null => parseGoDuration(v);

function faultOf(kind: ChaosKind, spec: KubeObject, kept: ExperimentAnnotation, problems: string[], notes: string[]): FaultSpecValue | null {
  switch (kind) {
    case 'NetworkChaos': {
      const action = spec.action ?? 'delay';
      if (action === 'delay' || action === 'netem') {
        const latency = ms(at(spec, 'delay', 'latency'));
        const jitter = at(spec, 'delay', 'jitter') === undefined ? 0 : ms(at(spec, 'delay', 'jitter'));
        if (latency === null || jitter === null) return refuse(problems, 'NetworkChaos delay: delay.latency (and delay.jitter) must be durations such as 200ms', null);
        if (at(spec, 'delay', 'reorder') !== undefined) notes.push('NetworkChaos delay.reorder has no Switchback equivalent: dropped');
        return { kind: 'delay', delayMs: round3(latency), jitterMs: round3(jitter) };
      }
      if (action === 'loss') {
        const pct = Number(at(spec, 'loss', 'loss'));
        if (!Number.isFinite(pct) || pct < 0 || pct > 100) return refuse(problems, 'NetworkChaos loss: loss.loss must be a percentage such as "5"', null);
        return { kind: 'loss', pct };
      }
      return refuse(problems, `NetworkChaos action ${JSON.stringify(action)}: Switchback injects delay and loss (not duplicate, corrupt, partition or bandwidth)`, null);
    }
    case 'HTTPChaos': {
      const code = at(spec, 'replace', 'code');
      if (spec.target === 'Response' && typeof code === 'number') {
        if (code < 400 || code > 599) return refuse(problems, `HTTPChaos replaces the status with ${code}: Switchback injects error statuses 400–599`, null);
        if (kept.pct === undefined) notes.push(`HTTPChaos turns every matching response into ${code}: imported as 100 % of responses`);
        return { kind: 'http-error', status: code, pct: kept.pct ?? 100 };
      }
      if (spec.abort === true) return { kind: 'http-error', status: 503, pct: kept.pct ?? 100 };
      const delay = ms(spec.delay);
      if (spec.delay !== undefined && delay !== null) {
        if (kept.jitterMs === undefined) notes.push('HTTPChaos delay has no jitter: imported with 0 ms jitter');
        return { kind: 'delay', delayMs: round3(delay), jitterMs: kept.jitterMs ?? 0 };
      }
      return refuse(problems, 'HTTPChaos: Switchback reads a response status replacement (target Response, replace.code), abort, or a delay', null);
    }
    case 'PodChaos':
      if (spec.action === 'pod-kill' || spec.action === undefined) return { kind: 'kill' };
      if (spec.action === 'pod-failure') {
        notes.push('PodChaos pod-failure (pods unavailable for the duration) is imported as a kill of the instances for the duration');
        return { kind: 'kill' };
      }
      return refuse(problems, `PodChaos action ${JSON.stringify(spec.action)}: Switchback kills whole instances (pod-kill), not single containers`, null);
    case 'StressChaos': {
      const load = at(spec, 'stressors', 'cpu', 'load');
      if (at(spec, 'stressors', 'memory') !== undefined) notes.push('StressChaos memory stressor has no Switchback equivalent: dropped');
      if (at(spec, 'stressors', 'cpu') === undefined) return refuse(problems, 'StressChaos: Switchback reads a CPU stressor (stressors.cpu)', null);
      const pct = typeof load === 'number' ? load : 100;
      const workers = at(spec, 'stressors', 'cpu', 'workers');
      if (typeof workers === 'number' && workers !== 1) notes.push(`StressChaos with ${workers} workers: Switchback takes a share of the instance's CPU — imported as ${pct} %`);
      return { kind: 'cpu-stress', pct: kept.pct !== undefined && Math.round(kept.pct) === pct ? kept.pct : pct };
    }
  }
}

/** Adds a problem and answers `fallback`, so that every problem of the document is listed at once. */
function refuse<T>(problems: string[], problem: string, fallback: T): T {
  problems.push(problem);
  return fallback;
}

const round3 = (x: number) => Number(x.toFixed(3));

function targetsOf(spec: KubeObject, kept: ExperimentAnnotation, notes: string[]): TargetSelector {
  const t: TargetSelector = { regions: [], zones: [], clusters: [], services: [], versions: [], labels: {} };
  const sel = at(spec, 'selector');
  const labels = at(sel, 'labelSelectors');
  if (isObject(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      if (kept.labelKeys?.includes(k)) t.labels[k] = String(v);
      else if (k === SERVICE_LABEL) t.services.push(String(v));
      else if (k === VERSION_LABEL) t.versions.push(String(v));
      else t.labels[k] = String(v);
    }
  }
  const exprs = at(sel, 'expressionSelectors');
  for (const e of Array.isArray(exprs) ? exprs : []) {
    const key = at(e, 'key');
    const values = at(e, 'values');
    if (at(e, 'operator') === 'In' && Array.isArray(values) && (key === SERVICE_LABEL || key === VERSION_LABEL)) (key === SERVICE_LABEL ? t.services : t.versions).push(...values.map(String));
    else notes.push(`The label expression on ${JSON.stringify(key ?? null)} has no Switchback equivalent (only "${SERVICE_LABEL} In" and "${VERSION_LABEL} In"): dropped`);
  }
  const nodes = at(sel, 'nodeSelectors');
  if (isObject(nodes)) {
    for (const [k, v] of Object.entries(nodes)) {
      if (k === ZONE_LABEL) t.zones.push(String(v));
      else if (k === REGION_LABEL) t.regions.push(String(v));
      else notes.push(`The node selector ${k} has no Switchback equivalent: dropped`);
    }
  }
  if (typeof spec.remoteCluster === 'string') t.clusters.push(spec.remoteCluster);
  if (kept.labels) t.labels = { ...t.labels, ...kept.labels };
  if (t.zones.length === 0 && kept.zones) t.zones = kept.zones;
  if (t.regions.length === 0 && kept.regions) t.regions = kept.regions;
  if (t.clusters.length === 0 && kept.clusters) t.clusters = kept.clusters;
  for (const k of ['pods', 'annotationSelectors', 'fieldSelectors', 'podPhaseSelectors', 'nodes']) {
    if (at(sel, k) !== undefined) notes.push(`The selector's ${k} has no Switchback equivalent: dropped`);
  }
  return t;
}

function selectionOf(spec: KubeObject, kept: ExperimentAnnotation, problems: string[]): Selection {
  const value = Number(spec.value);
  const pct = (mode: 'percent' | 'random-up-to'): Selection => {
    if (!Number.isFinite(value) || value < 1 || value > 100) return refuse(problems, `mode ${String(spec.mode)} needs value: a percentage from 1 to 100`, { mode: 'all' });
    return { mode, pct: kept.selectionPct !== undefined && Math.max(1, Math.round(kept.selectionPct)) === value ? kept.selectionPct : value };
  };
  switch (spec.mode) {
    case 'all':
      return { mode: 'all' };
    case 'one':
      return { mode: 'one' };
    case 'fixed':
      if (!Number.isInteger(value) || value < 1) return refuse(problems, 'mode fixed needs value: a number of pods, at least 1', { mode: 'all' });
      return { mode: 'count', count: value };
    case 'fixed-percent':
      return pct('percent');
    case 'random-max-percent':
      return pct('random-up-to');
    default:
      problems.push(`mode ${JSON.stringify(spec.mode ?? null)}: expected one, all, fixed, fixed-percent or random-max-percent`);
      return { mode: 'all' };
  }
}
