// Argo Rollouts manifests read back as a draft of our rollout spec: the Rollout's canary steps,
// its header route and the AnalysisTemplates it names. What Argo has and we do not is dropped with
// a note; what we need and Argo lacks comes from the export's annotation, or is defaulted with a
// note; what cannot be read is refused in words. The result is validated by rolloutSpecSchema.
import { HEADER_MATCHES, rolloutSpecSchema, type AnalysisMetric, type RolloutSpec, type RolloutStep } from '../rollouts/spec';
import { at, describeDoc, isObject, issueWords, NAME_ANNOTATION, parseGoDuration, readDocuments, readJsonAnnotation, type KubeObject, type ManifestImport } from './documents';
import { ARGO_API_VERSION, BACKGROUND_INTERVAL_S, marginOf, metricFromName, ratioFromCondition, ROLLOUT_ANNOTATION, rolloutAnnotationSchema } from './argo-shared';

const MAX_STEP_SECONDS = 7 * 86_400;

export function argoToRolloutDraft(yaml: string): ManifestImport<RolloutSpec> {
  const read = readDocuments(yaml);
  if (!read.ok) return read;
  const problems: string[] = [];
  const notes: string[] = [];
  const rollouts = read.documents.filter((d) => d.kind === 'Rollout');
  const templates = new Map<string, KubeObject>();
  read.documents.forEach((d, i) => {
    if (d.kind === 'Rollout') return;
    if (d.kind === 'AnalysisTemplate' || d.kind === 'ClusterAnalysisTemplate') {
      const n = at(d, 'metadata', 'name');
      if (typeof n === 'string') templates.set(`${d.kind}/${n}`, d);
      else problems.push(`${describeDoc(d, i)} has no metadata.name`);
      return;
    }
    notes.push(`${describeDoc(d, i)} is not an Argo Rollout or AnalysisTemplate: ignored`);
  });
  if (rollouts.length !== 1) {
    return { ok: false, problems: [rollouts.length === 0 ? 'No Argo Rollout in the YAML: expected a document with "kind: Rollout" (apiVersion argoproj.io/v1alpha1)' : `${rollouts.length} Rollouts in the YAML: import one rollout at a time`] };
  }
  const ro = rollouts[0]!;
  if (ro.apiVersion !== ARGO_API_VERSION) problems.push(`The Rollout's apiVersion is ${JSON.stringify(ro.apiVersion ?? null)}: expected ${ARGO_API_VERSION}`);
  if (at(ro, 'spec', 'strategy', 'blueGreen') !== undefined) problems.push('The Rollout uses the blue-green strategy: Switchback rollouts are canaries (strategy.canary)');
  const canary = at(ro, 'spec', 'strategy', 'canary');
  if (!isObject(canary)) problems.push('The Rollout has no canary strategy (spec.strategy.canary)');
  const argoSteps = at(canary, 'steps');
  if (!Array.isArray(argoSteps) || argoSteps.length === 0) problems.push('The Rollout has no canary steps (spec.strategy.canary.steps)');
  if (problems.length) return { ok: false, problems };

  const ann = rolloutAnnotationSchema.safeParse(readJsonAnnotation(ro, ROLLOUT_ANNOTATION, notes) ?? {});
  if (!ann.success) notes.push(`The annotation ${ROLLOUT_ANNOTATION} does not hold what Switchback wrote: ignored`);
  const kept = ann.success ? ann.data : {};
  const approvals = new Map((kept.approvals ?? []).map((a) => [a.step, a]));

  const metricsOf = (ref: unknown, where: string, stepSeconds: boolean): { metrics: AnalysisMetric[]; seconds: number | null } | null => {
    const refs = at(ref, 'templates');
    const first: unknown = Array.isArray(refs) ? refs[0] : undefined;
    if (Array.isArray(refs) && refs.length > 1) notes.push(`${where}: only the first of ${refs.length} analysis templates is read`);
    const cluster = at(first, 'clusterScope') === true;
    const tname = at(first, 'templateName');
    const tpl = typeof tname === 'string' ? templates.get(`${cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'}/${tname}`) : undefined;
    if (!tpl) {
      problems.push(`${where} names the analysis template ${JSON.stringify(tname ?? null)}, which is not in the YAML: paste it together with the Rollout`);
      return null;
    }
    const metrics: AnalysisMetric[] = [];
    let seconds: number | null = null;
    for (const m of (at(tpl, 'spec', 'metrics') as unknown[] | undefined) ?? []) {
      const mname = at(m, 'name');
      const kind = typeof mname === 'string' ? metricFromName(mname) : null;
      const ratio = ratioFromCondition(at(m, 'successCondition'));
      if (!kind || ratio === null) {
        notes.push(`${where}: the metric ${JSON.stringify(mname ?? null)} is not one Switchback measures (error-rate, latency-p50/p90/p95/p99 with "result[0] <= ratio"): dropped`);
        continue;
      }
      metrics.push({ ...kind, maxIncreasePct: marginOf(ratio) });
      const interval = parseGoDuration(at(m, 'interval') ?? `${BACKGROUND_INTERVAL_S}s`);
      const count = at(m, 'count');
      if (stepSeconds && interval !== null && typeof count === 'number' && Number.isInteger(count) && count > 0) seconds = Math.max(seconds ?? 0, Math.round((interval / 1000) * count));
    }
    if (metrics.length === 0) {
      problems.push(`${where}: the analysis template "${String(tname)}" has no metric Switchback can judge`);
      return null;
    }
    return { metrics, seconds };
  };

  const steps: RolloutStep[] = [];
  (argoSteps as unknown[]).forEach((s, i) => {
    const where = `Step ${i + 1}`;
    if (!isObject(s)) return void problems.push(`${where} is not a mapping`);
    if (typeof s.setWeight === 'number') return void steps.push({ kind: 'setWeight', weight: s.setWeight });
    if (isObject(s.pause)) {
      const a = approvals.get(i);
      if (a && s.pause.duration === undefined) return void steps.push({ kind: 'approval', quorum: a.quorum, expiresInS: a.expiresInS, onExpiry: a.onExpiry });
      if (s.pause.duration === undefined) return void steps.push({ kind: 'pause' });
      const ms = parseGoDuration(s.pause.duration);
      if (ms === null) return void problems.push(`${where}: the pause duration ${JSON.stringify(s.pause.duration)} is not a duration (such as 60s or 5m)`);
      return void steps.push({ kind: 'pause', seconds: Math.min(MAX_STEP_SECONDS, Math.max(1, Math.round(ms / 1000))) });
    }
    if (isObject(s.setHeaderRoute)) {
      const match = at(s.setHeaderRoute, 'match');
      if (!Array.isArray(match) || match.length === 0) return void notes.push(`${where}: a header route without a match (it removes the route): dropped — Switchback ends its header route at the end of the rollout`);
      if (match.length > 1) notes.push(`${where}: only the first of ${match.length} header matches is read`);
      const hv = at(match[0], 'headerValue');
      const kind = HEADER_MATCHES.find((k) => typeof at(hv, k) === 'string');
      const header = at(match[0], 'headerName');
      if (!kind || typeof header !== 'string') return void problems.push(`${where}: the header route needs headerName and one of headerValue.exact, .prefix or .regex`);
      return void steps.push({ kind: 'setHeaderRoute', header, match: kind, value: at(hv, kind) as string });
    }
    if (isObject(s.analysis)) {
      const r = metricsOf(s.analysis, where, true);
      if (!r) return;
      if (r.seconds === null) notes.push(`${where}: the analysis has no measurement count, so no length: set to 120 s`);
      return void steps.push({ kind: 'analysis', metrics: r.metrics, seconds: r.seconds ?? 120 });
    }
    const what = Object.keys(s).slice(0, 3).join(', ') || 'an empty step';
    notes.push(`${where} (${what}) has no Switchback equivalent: dropped`);
  });
  for (const a of approvals.keys()) {
    if (!isObject(at((argoSteps as unknown[])[a], 'pause')) || at((argoSteps as unknown[])[a], 'pause', 'duration') !== undefined) notes.push(`The annotation names an approval at step ${a + 1}, which is not a pause without duration there: ignored`);
  }

  const bg = at(canary, 'analysis');
  const background = isObject(bg) ? metricsOf(bg, 'The background analysis', false) : null;
  if (problems.length) return { ok: false, problems };

  const containers = at(ro, 'spec', 'template', 'spec', 'containers');
  const imageRef = Array.isArray(containers) ? at(containers[0], 'image') : undefined;
  const tag = typeof imageRef === 'string' ? /:([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/.exec(imageRef.split('@')[0]!)?.[1] : undefined;
  const versionLabel = at(ro, 'spec', 'template', 'metadata', 'labels', 'version');
  const canaryVersion = tag ?? (typeof versionLabel === 'string' ? versionLabel : undefined);
  if (!canaryVersion) notes.push('The canary version is neither an image tag nor a "version" label of the pod template: set to "canary"');
  const metaName = at(ro, 'metadata', 'name');
  const appLabel = at(ro, 'metadata', 'labels', 'app');
  const service = kept.service ?? (typeof appLabel === 'string' ? appLabel : typeof metaName === 'string' ? metaName : undefined);
  if (!service) return { ok: false, problems: ['The Rollout has no metadata.name: Switchback needs it for the service'] };
  if (!kept.service && !(typeof appLabel === 'string')) notes.push(`The service is taken from the Rollout's name: "${service}"`);
  const canaryV = canaryVersion ?? 'canary';
  let stableVersion = kept.stableVersion;
  if (!stableVersion) {
    stableVersion = canaryV === 'stable' ? 'previous' : 'stable';
    notes.push(`The stable version is not in an Argo Rollout (Argo takes it from the ReplicaSet running now): set to "${stableVersion}" — correct it in the draft`);
  }
  if (kept.alpha === undefined && steps.some((s) => s.kind === 'analysis')) notes.push('The false-detection probability α is not an Argo field: set to 0.01');
  const nameAnn = at(ro, 'metadata', 'annotations', NAME_ANNOTATION);
  const name = typeof nameAnn === 'string' ? nameAnn : `${service} ${canaryV}`;
  // Our own export says which pauses are approvals; in someone else's Rollout a bare pause is ambiguous.
  if (kept.service === undefined && steps.some((s) => s.kind === 'pause' && s.seconds === undefined)) notes.push('A pause without duration is imported as a pause until resumed; make it an approval gate in the draft to require approvers');

  const parsed = rolloutSpecSchema.safeParse({
    name,
    service,
    stableVersion,
    canaryVersion: canaryV,
    steps,
    backgroundAnalysis: background ? { metrics: background.metrics } : null,
    ...(kept.alpha === undefined ? {} : { alpha: kept.alpha }),
  });
  if (!parsed.success) return { ok: false, problems: issueWords(parsed.error.issues, 'The rollout read from the YAML is not valid: ') };
  return { ok: true, value: parsed.data, notes };
}
