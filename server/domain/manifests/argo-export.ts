// A rollout as Argo Rollouts manifests: one `Rollout` (canary strategy, its steps, the header
// route through a traffic router, the background analysis) and one `AnalysisTemplate` per
// analysis (Prometheus queries of canary over stable, the spec's margins as conditions), plus
// in words what Argo cannot express. The Rollout annotation keeps the fields Argo has no place
// for, so that importing the export gives back the same spec (server/domain/manifests/argo-import.ts).
import type { AnalysisMetric, RolloutSpec, RolloutStep } from '../rollouts/spec';
import { goDuration, kubeName, NAME_ANNOTATION, toMultiDocumentYaml, type KubeObject, type ManifestExport } from './documents';
import {
  ANALYSIS_ARGS,
  ARGO_API_VERSION,
  BACKGROUND_INTERVAL_S,
  failureCondition,
  HEADER_ROUTE_NAME,
  intervalFor,
  metricName,
  PROMETHEUS_ADDRESS,
  promQuery,
  ratioOf,
  ROLLOUT_ANNOTATION,
  successCondition,
  type RolloutAnnotation,
} from './argo-shared';

export interface RolloutManifestMeta {
  /** Kubernetes namespace of the resources; 'default' when not given. */
  namespace?: string;
}

const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export function rolloutToArgo(spec: RolloutSpec, meta: RolloutManifestMeta = {}): ManifestExport {
  const namespace = kubeName(meta.namespace ?? 'default');
  const svc = kubeName(spec.service);
  const app = LABEL_VALUE.test(spec.service) ? spec.service : svc;
  const notes: string[] = [];
  const templates: KubeObject[] = [];
  const args = (s: RolloutSpec) => [
    { name: ANALYSIS_ARGS[0], value: s.service },
    { name: ANALYSIS_ARGS[1], value: s.canaryVersion },
    { name: ANALYSIS_ARGS[2], value: s.stableVersion },
  ];
  const template = (tname: string, metrics: AnalysisMetric[], seconds: number | null): KubeObject => ({
    apiVersion: ARGO_API_VERSION,
    kind: 'AnalysisTemplate',
    metadata: { name: tname, namespace, labels: { app } },
    spec: {
      args: ANALYSIS_ARGS.map((name) => ({ name })),
      metrics: metrics.map((m) => {
        const interval = seconds === null ? BACKGROUND_INTERVAL_S : intervalFor(seconds);
        const ratio = ratioOf(m.maxIncreasePct);
        return {
          name: metricName(m),
          interval: goDuration(interval),
          ...(seconds === null ? {} : { count: seconds / interval }),
          failureLimit: 0,
          successCondition: successCondition(ratio),
          failureCondition: failureCondition(ratio),
          provider: { prometheus: { address: PROMETHEUS_ADDRESS, query: promQuery(m) } },
        };
      }),
    },
  });

  const approvals: NonNullable<RolloutAnnotation['approvals']> = [];
  const steps = spec.steps.map((step, i) => {
    const out = argoStep(step, i);
    if (step.kind === 'approval') {
      approvals.push({ step: i, quorum: step.quorum, expiresInS: step.expiresInS, onExpiry: step.onExpiry });
      notes.push(
        `Step ${i + 1}, approval by ${step.quorum} ${step.quorum === 1 ? 'person' : 'people'} expiring after ${goDuration(step.expiresInS)} (${step.onExpiry === 'abort' ? 'then abort' : 'then stay paused'}): Argo has only a pause without a duration, which anyone allowed to run "kubectl argo rollouts promote" ends. The quorum, the approver role, the expiry and what happens on expiry cannot be expressed.`,
      );
    }
    if (step.kind === 'analysis') templates.push(template(kubeName(spec.service, `step-${i + 1}`), step.metrics, step.seconds));
    return out;
  });

  function argoStep(step: RolloutStep, i: number): KubeObject {
    switch (step.kind) {
      case 'setWeight':
        return { setWeight: step.weight };
      case 'pause':
        return { pause: step.seconds === undefined ? {} : { duration: goDuration(step.seconds) } };
      case 'approval':
        return { pause: {} };
      case 'setHeaderRoute':
        return { setHeaderRoute: { name: HEADER_ROUTE_NAME, match: [{ headerName: step.header, headerValue: { [step.match]: step.value } }] } };
      case 'analysis':
        return { analysis: { templates: [{ templateName: kubeName(spec.service, `step-${i + 1}`) }], args: args(spec) } };
    }
  }

  const hasHeaderRoute = spec.steps.some((s) => s.kind === 'setHeaderRoute');
  const background = spec.backgroundAnalysis;
  if (background) templates.push(template(kubeName(spec.service, 'background'), background.metrics, null));
  const annotation: RolloutAnnotation = { service: spec.service, stableVersion: spec.stableVersion, alpha: spec.alpha, ...(approvals.length ? { approvals } : {}) };

  const rollout: KubeObject = {
    apiVersion: ARGO_API_VERSION,
    kind: 'Rollout',
    metadata: {
      name: svc,
      namespace,
      labels: { app },
      annotations: { [NAME_ANNOTATION]: spec.name, [ROLLOUT_ANNOTATION]: JSON.stringify(annotation) },
    },
    spec: {
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app, version: spec.canaryVersion } },
        spec: { containers: [{ name: svc, image: `${svc}:${spec.canaryVersion}` }] },
      },
      strategy: {
        canary: {
          canaryService: kubeName(spec.service, 'canary'),
          stableService: kubeName(spec.service, 'stable'),
          trafficRouting: {
            ...(hasHeaderRoute ? { managedRoutes: [{ name: HEADER_ROUTE_NAME }] } : {}),
            istio: { virtualService: { name: svc, routes: ['primary'] } },
          },
          ...(background ? { analysis: { templates: [{ templateName: kubeName(spec.service, 'background') }], args: args(spec) } } : {}),
          steps,
        },
      },
    },
  };

  const analyses = spec.steps.filter((s) => s.kind === 'analysis').length + (background ? 1 : 0);
  if (analyses > 0) {
    notes.push(
      `Analysis: Switchback compares canary with stable by an anytime-valid sequential test (e-values) whose false-detection probability α = ${spec.alpha} holds at every look. Argo Rollouts judges each measurement against a fixed threshold: the export measures the ratio canary / stable and fails at the first measurement above 1 + the margin, with no α, so it reacts to noise that the sequential test would wait out.`,
      `Analysis measurements: the Prometheus address (${PROMETHEUS_ADDRESS}) and the metric names (http_requests_total, http_request_duration_seconds_bucket with service and version labels) are assumptions — change them to the cluster's.`,
    );
  }
  if (background) notes.push(`Background analysis: Argo runs it from the first step (Switchback from the first canary traffic) until the rollout ends, measuring every ${goDuration(BACKGROUND_INTERVAL_S)}.`);
  if (hasHeaderRoute) {
    notes.push(
      'Header route: Argo routes by header only through a traffic router; the export assumes Istio (VirtualService with a route named "primary"). Switchback routes through HAProxy, for which Argo Rollouts has no traffic router.',
    );
  }
  notes.push(
    'Not expressed: zone guards and instance health guards, freeze windows, the global halt, promotion and rollback by role, and the audit trail — Argo has no such checks; they stay Switchback\'s.',
    `The stable version (${spec.stableVersion}) is not an Argo field (Argo takes it from the ReplicaSet running now); the image "${svc}:${spec.canaryVersion}" stands for the canary's real image.`,
  );

  const resources = [rollout, ...templates];
  return {
    resources,
    notes,
    yaml: toMultiDocumentYaml(resources, [`Argo Rollouts manifests of the Switchback rollout "${spec.name.replace(/\n/g, ' ')}" — what they cannot express is listed in the export notes.`]),
  };
}
