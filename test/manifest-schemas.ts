// The published schemas the exported manifests are held against: Chaos Mesh's CRDs (copied into
// test/schemas/chaos-mesh, see its README) through ajv, and Argo Rollouts' models from
// @kubernetes-models/argo-rollouts. Each validator answers the problems in words ([] = valid).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';

const CRD_FILES = {
  NetworkChaos: 'chaos-mesh.org_networkchaos.yaml',
  HTTPChaos: 'chaos-mesh.org_httpchaos.yaml',
  PodChaos: 'chaos-mesh.org_podchaos.yaml',
  StressChaos: 'chaos-mesh.org_stresschaos.yaml',
  Schedule: 'chaos-mesh.org_schedules.yaml',
} as const;
export type ChaosMeshKind = keyof typeof CRD_FILES;

type Schema = Record<string, unknown>;

/**
 * OpenAPI 3.0 as ajv reads it, and closed: the API server prunes unknown fields silently, and `kubectl apply --validate=strict` refuses
 * them: a misspelt field would be lost on the cluster. Every object schema that lists its
 * properties (and does not ask to keep unknown fields) is closed here, so a typo fails the test.
 */
function closeObjects(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closeObjects);
  if (s === null || typeof s !== 'object') return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s as Schema)) out[k] = k === 'properties' && v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closeObjects(ps)])) : closeObjects(v);
  // OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum; JSON Schema (ajv) as numbers.
  for (const [ex, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[ex] !== 'boolean') continue;
    if (out[ex] === true) {
      out[ex] = out[bound];
      delete out[bound];
    } else delete out[ex];
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, { whole: ValidateFunction; spec: ValidateFunction }>();

/** The CRD's openAPIV3Schema of its served version, as published (not closed). */
export function crdSchema(kind: ChaosMeshKind): Schema {
  const url = new URL(`./schemas/chaos-mesh/${CRD_FILES[kind]}`, import.meta.url);
  const crd = parse(readFileSync(fileURLToPath(url), 'utf8')) as { spec: { names: { kind: string }; versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Schema } }> } };
  if (crd.spec.names.kind !== kind) throw new Error(`${CRD_FILES[kind]} defines ${crd.spec.names.kind}, not ${kind}`);
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1' && v.served);
  if (!version) throw new Error(`${CRD_FILES[kind]} serves no v1alpha1`);
  return version.schema.openAPIV3Schema;
}

function validators(kind: ChaosMeshKind) {
  let v = compiled.get(kind);
  if (!v) {
    const closed = closeObjects(crdSchema(kind)) as Schema;
    const props = closed.properties as Schema;
    // The spec is compiled once, on its own; the whole object's shape around it (apiVersion, kind, metadata, no stray fields).
    v = { whole: ajv.compile({ ...closed, properties: { ...props, spec: { type: 'object' } } }), spec: ajv.compile(props.spec as Schema) };
    compiled.set(kind, v);
  }
  return v;
}

const words = (f: ValidateFunction, where: string) => (f.errors ?? []).slice(0, 20).map((e) => `${where}${e.instancePath || (where ? '' : '/')} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);

/** A Chaos Mesh resource against its CRD: the whole object, and its spec on its own. */
export function chaosMeshProblems(resource: Record<string, unknown>): string[] {
  const kind = resource.kind as ChaosMeshKind;
  if (!(kind in CRD_FILES)) return [`kind ${String(resource.kind)} is not one of ${Object.keys(CRD_FILES).join(', ')}`];
  const problems: string[] = [];
  if (resource.apiVersion !== 'chaos-mesh.org/v1alpha1') problems.push(`apiVersion ${String(resource.apiVersion)}`);
  const { whole, spec } = validators(kind);
  if (!whole(resource)) problems.push(...words(whole, ''));
  if (!spec(resource.spec)) problems.push(...words(spec, '/spec'));
  return problems;
}

/** An Argo Rollouts resource through its model's validate(). */
export function argoProblems(resource: Record<string, unknown>): string[] {
  try {
    if (resource.kind === 'Rollout') new Rollout(resource as never).validate();
    else if (resource.kind === 'AnalysisTemplate') new AnalysisTemplate(resource as never).validate();
    else return [`kind ${String(resource.kind)} is not Rollout or AnalysisTemplate`];
    return [];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}
