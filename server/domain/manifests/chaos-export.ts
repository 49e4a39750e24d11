// A chaos experiment as Chaos Mesh resources: its fault as a NetworkChaos (delay, loss),
// HTTPChaos (error status; a delay scoped to a cohort), PodChaos (kill) or StressChaos (CPU), its
// targets as a pod selector, its selection as Chaos Mesh's mode; each of its schedules as a
// Schedule embedding that chaos. What Chaos Mesh cannot express is said in `notes`; the
// resource annotation keeps it, so that importing the export gives back the same experiment.
import type { ExperimentDraft, ExperimentSpec, Selection } from '../experiments/spec';
import { goDuration, kubeName, NAME_ANNOTATION, toMultiDocumentYaml, type KubeObject, type ManifestExport } from './documents';
import {
  CHAOS_API_VERSION,
  CHAOS_MODES,
  EXPERIMENT_ANNOTATION,
  HTTP_PORT,
  msDuration,
  PAUSE_ANNOTATION,
  REGION_LABEL,
  SCHEDULE_FIELD,
  SERVICE_LABEL,
  VERSION_LABEL,
  ZONE_LABEL,
  type ChaosKind,
  type ExperimentAnnotation,
} from './chaos-shared';

export interface ScheduleMeta {
  cron: string;
  concurrency: 'forbid' | 'allow' | 'replace';
  historyLimit: number;
  enabled: boolean;
}

export interface ExperimentManifestMeta {
  namespace?: string;
  /** The experiment's cron schedules: each becomes a Chaos Mesh Schedule instead of a one-off resource. */
  schedules?: readonly ScheduleMeta[];
}

type Chaos = { kind: ChaosKind; spec: KubeObject } | null;

export function experimentToChaosMesh(draft: ExperimentDraft, meta: ExperimentManifestMeta = {}): ManifestExport {
  const { spec } = draft;
  const namespace = kubeName(meta.namespace ?? 'default');
  const notes: string[] = [];
  const kept: ExperimentAnnotation = {
    description: draft.description,
    templateKey: draft.templateKey,
    blastRadius: spec.blastRadius,
    steadyState: spec.steadyState,
    abortConditions: spec.abortConditions,
    availabilityTargetPct: spec.availabilityTargetPct,
    baselineS: spec.baselineS,
    observeS: spec.observeS,
  };

  const { selector, mode, value, remoteCluster } = selectorOf(spec, namespace, kept, notes);
  const common = { selector, mode, ...(value === undefined ? {} : { value }), duration: goDuration(spec.durationS), ...(remoteCluster ? { remoteCluster } : {}) };
  const chaos = faultChaos(spec, common, kept, notes);

  const annotations = { [NAME_ANNOTATION]: draft.name, [EXPERIMENT_ANNOTATION]: JSON.stringify(kept) };
  const resources: KubeObject[] = [];
  if (chaos) {
    const schedules = meta.schedules ?? [];
    if (schedules.length === 0) {
      resources.push({ apiVersion: CHAOS_API_VERSION, kind: chaos.kind, metadata: { name: kubeName(draft.name), namespace, annotations }, spec: chaos.spec });
    }
    schedules.forEach((s, i) => {
      if (s.concurrency === 'replace') notes.push(`Schedule ${i + 1} (${s.cron}): "replace" (end the running run, start the new one) is not a Chaos Mesh concurrency policy: written as Forbid`);
      resources.push({
        apiVersion: CHAOS_API_VERSION,
        kind: 'Schedule',
        metadata: { name: kubeName(draft.name, schedules.length > 1 ? `schedule-${i + 1}` : 'schedule'), namespace, annotations: { ...annotations, ...(s.enabled ? {} : { [PAUSE_ANNOTATION]: 'true' }) } },
        spec: { schedule: s.cron, concurrencyPolicy: s.concurrency === 'allow' ? 'Allow' : 'Forbid', historyLimit: s.historyLimit, type: chaos.kind, [SCHEDULE_FIELD[chaos.kind]]: chaos.spec },
      });
    });
    if (schedules.length > 0) {
      notes.push('Schedules: Chaos Mesh reads the cron expression in the controller\'s time zone (Switchback: UTC); a disabled schedule is written paused. Apply the embedded spec as its own resource to run the experiment once now.');
    }
  }

  if (spec.steadyState.length) notes.push(`Steady-state hypothesis (${spec.steadyState.length} condition${spec.steadyState.length > 1 ? 's' : ''} checked before injecting): Chaos Mesh injects without checking anything first.`);
  if (spec.abortConditions.length) notes.push(`Abort conditions (${spec.abortConditions.length}, checked every tick while the fault is in): Chaos Mesh runs the fault for its whole duration; nothing ends it early but deleting the resource (a Chaos Mesh Workflow with a StatusCheck comes closest).`);
  notes.push(
    `Blast-radius caps (at most ${spec.blastRadius.maxServicePct} % of a service${spec.blastRadius.maxZonePct !== null ? `, ${spec.blastRadius.maxZonePct} % of a zone` : ''}${spec.blastRadius.maxClusterPct !== null ? `, ${spec.blastRadius.maxClusterPct} % of a cluster` : ''}) and the admin's global maximum: Chaos Mesh applies the mode to whatever the selector matches, with no cap.`,
    `The report (availability against ${spec.availabilityTargetPct} %, ${spec.baselineS} s baseline, ${spec.observeS} s observation for self-heal) is Switchback's: Chaos Mesh does not measure.`,
    'The halt switch, freeze windows and the audit trail stay Switchback\'s.',
  );

  const header = [`Chaos Mesh manifests of the Switchback experiment "${draft.name}" — what they cannot express is listed in the export notes.`];
  if (!chaos) header.push('Nothing to apply: Chaos Mesh has no resource for this fault (see the notes).');
  return { resources, notes, yaml: toMultiDocumentYaml(resources, header) };
}

function selectorOf(spec: ExperimentSpec, namespace: string, kept: ExperimentAnnotation, notes: string[]) {
  const t = spec.targets;
  const labelSelectors: Record<string, string> = {};
  const expressionSelectors: KubeObject[] = [];
  const nodeSelectors: Record<string, string> = {};
  const byLabel = (key: string, values: string[]) => {
    if (values.length === 1) labelSelectors[key] = values[0]!;
    else if (values.length > 1) expressionSelectors.push({ key, operator: 'In', values });
  };
  byLabel(SERVICE_LABEL, t.services);
  byLabel(VERSION_LABEL, t.versions);
  for (const [k, v] of Object.entries(t.labels)) {
    if (k in labelSelectors || expressionSelectors.some((e) => e.key === k)) {
      kept.labels = { ...kept.labels, [k]: v };
      notes.push(`The instance label ${k} = ${v} clashes with the "${k}" label the service or version target uses: not written`);
      continue;
    }
    // An instance label named like the service or version label would read back as that target.
    if (k === SERVICE_LABEL || k === VERSION_LABEL) kept.labelKeys = [...(kept.labelKeys ?? []), k];
    labelSelectors[k] = v;
  }
  const byNode = (key: string, values: string[], what: 'zones' | 'regions') => {
    if (values.length === 1) nodeSelectors[key] = values[0]!;
    else if (values.length > 1) {
      kept[what] = values;
      notes.push(`Targets in ${values.length} ${what} (${values.join(', ')}): Chaos Mesh selects nodes by exact labels only — no ${what === 'zones' ? 'zone' : 'region'} selector is written; narrow it by hand or write one resource per ${what === 'zones' ? 'zone' : 'region'}.`);
    }
  };
  byNode(ZONE_LABEL, t.zones, 'zones');
  byNode(REGION_LABEL, t.regions, 'regions');
  let remoteCluster: string | undefined;
  if (t.clusters.length === 1) remoteCluster = t.clusters[0];
  if (t.clusters.length > 1) {
    kept.clusters = t.clusters;
    notes.push(`Targets in ${t.clusters.length} clusters: a Chaos Mesh resource acts in one (remoteCluster) — none is written; apply it in each cluster.`);
  }
  if (t.services.length === 0) notes.push('No service target: the selector matches every pod of the namespace.');
  const selector: KubeObject = {
    namespaces: [namespace],
    ...(Object.keys(labelSelectors).length ? { labelSelectors } : {}),
    ...(expressionSelectors.length ? { expressionSelectors } : {}),
    ...(Object.keys(nodeSelectors).length ? { nodeSelectors } : {}),
  };
  const { mode, value } = modeOf(spec.selection, kept, notes);
  return { selector, mode, value, remoteCluster };
}

function modeOf(sel: Selection, kept: ExperimentAnnotation, notes: string[]): { mode: string; value?: string } {
  switch (sel.mode) {
    case 'all':
    case 'one':
      return { mode: CHAOS_MODES[sel.mode] };
    case 'count':
      return { mode: CHAOS_MODES.count, value: String(sel.count) };
    case 'percent':
    case 'random-up-to': {
      const whole = Math.max(1, Math.round(sel.pct));
      if (whole !== sel.pct) {
        kept.selectionPct = sel.pct;
        notes.push(`Selection ${sel.pct} %: Chaos Mesh takes whole percentages — written as ${whole} %.`);
      }
      return { mode: CHAOS_MODES[sel.mode], value: String(whole) };
    }
  }
}

function faultChaos(spec: ExperimentSpec, common: KubeObject, kept: ExperimentAnnotation, notes: string[]): Chaos {
  const f = spec.fault;
  const cohort = spec.cohort;
  const http = (target: 'Request' | 'Response', more: KubeObject): KubeObject => ({
    ...common,
    target,
    port: HTTP_PORT,
    path: '*',
    ...(cohort ? { request_headers: { [cohort.header]: cohort.value } } : {}),
    ...more,
  });
  const noCohort = (what: string) => {
    if (!cohort) return;
    kept.cohort = cohort;
    notes.push(`Cohort (requests carrying ${cohort.header}: ${cohort.value}): ${what} cannot match a request header — the fault hits every request of the selected pods.`);
  };
  const httpPortNote = () => notes.push(`HTTPChaos proxies one container port: the export assumes ${HTTP_PORT} and every path ("*") — change the port to the service's.`);
  switch (f.kind) {
    case 'delay':
      if (cohort) {
        kept.jitterMs = f.jitterMs;
        httpPortNote();
        if (f.jitterMs > 0) notes.push(`Jitter ${f.jitterMs} ms: a delay scoped to a cohort is an HTTPChaos, whose delay is fixed — written as ${f.delayMs} ms without jitter.`);
        return { kind: 'HTTPChaos', spec: http('Request', { delay: msDuration(f.delayMs) }) };
      }
      notes.push('Delay: Chaos Mesh delays the pods\' network packets (tc netem) rather than requests, and netem spreads the jitter by its own default, not the normal distribution Switchback draws from.');
      return { kind: 'NetworkChaos', spec: { ...common, action: 'delay', delay: { latency: msDuration(f.delayMs), jitter: msDuration(f.jitterMs), correlation: '0' } } };
    case 'loss':
      noCohort('NetworkChaos (packets, not requests)');
      return { kind: 'NetworkChaos', spec: { ...common, action: 'loss', loss: { loss: String(f.pct), correlation: '0' } } };
    case 'http-error':
      kept.pct = f.pct;
      httpPortNote();
      if (f.pct < 100) notes.push(`HTTP ${f.status} on ${f.pct} % of responses: HTTPChaos has no share of requests — every matching response becomes ${f.status}. Narrow it by path or header, or select fewer pods.`);
      return { kind: 'HTTPChaos', spec: http('Response', { replace: { code: f.status } }) };
    case 'kill':
      noCohort('PodChaos');
      notes.push('Kill: pod-kill kills the pods once and Kubernetes replaces them at once; Switchback keeps the instance down for the whole duration (PodChaos pod-failure is the closer match for that).');
      return { kind: 'PodChaos', spec: { ...common, action: 'pod-kill' } };
    case 'cpu-stress': {
      noCohort('StressChaos');
      const load = Math.round(f.pct);
      if (load !== f.pct) kept.pct = f.pct;
      notes.push(`CPU stress: Chaos Mesh loads ${load} % per stress worker and the export asks for one worker; Switchback takes ${f.pct} % of the instance's CPU — add workers for pods with more cores.`);
      return { kind: 'StressChaos', spec: { ...common, stressors: { cpu: { workers: 1, load } } } };
    }
    case 'drain':
      noCohort('Nothing');
      notes.push('Drain (finish what is in flight, take nothing new): Chaos Mesh has no such fault — nothing is exported for it. PodChaos pod-failure makes the pods unavailable, failing in-flight requests instead.');
      return null;
    case 'buffer-saturation':
      noCohort('Nothing');
      notes.push(`Saturating the ${f.stage} stage buffer at ${f.fillPct} %: Chaos Mesh cannot reach inside an instance's pipeline — nothing is exported for it.`);
      return null;
  }
}
