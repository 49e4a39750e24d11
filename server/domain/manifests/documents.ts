// What the Argo Rollouts and Chaos Mesh manifests share: Kubernetes names from ours, durations as
// Go duration strings, the annotations that carry what Kubernetes ignores (so that an export read
// back gives the same spec), and a bounded reader of multi-document YAML for the import.
//
// Input is bounded like the YAML views (server/domain/yaml-document.ts): at most 64 KB, few
// aliases, the YAML 1.2 core schema, at most MAX_DOCUMENTS documents.
import { parseAllDocuments, stringify } from 'yaml';
import { MAX_YAML_CHARS } from '../yaml-document';

export { MAX_YAML_CHARS };
export const MAX_DOCUMENTS = 20;
const MAX_ALIASES = 20;

/** Annotation prefix of the fields Switchback keeps on a resource (Kubernetes and the controllers ignore them). */
export const ANNOTATION_PREFIX = 'switchback.io/';
export const NAME_ANNOTATION = `${ANNOTATION_PREFIX}name`;

/** An object of a manifest; every field unknown until checked. */
export type KubeObject = Record<string, unknown>;

/** What an export gives: the resources, the YAML of all of them, and what could not be said. */
export interface ManifestExport {
  resources: KubeObject[];
  yaml: string;
  notes: string[];
}

export type ManifestImport<T> = { ok: true; value: T; notes: string[] } | { ok: false; problems: string[] };

/**
 * A Kubernetes object name (RFC 1123 label: lowercase letters, digits, dashes, at most 63) from one
 * of ours ("checkout v2" → "checkout-v2"), never empty.
 */
export function kubeName(name: string, suffix = ''): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  const tail = suffix ? `-${suffix}` : '';
  const cut = (base || 'switchback').slice(0, 63 - tail.length).replace(/-+$/, '');
  return `${cut || 'x'}${tail}`;
}

/** Whole seconds as a Go duration string: 3600 → "1h", 90 → "90s", 120 → "2m". */
export function goDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration string ("1h30m", "200ms", "90s") in milliseconds; null when it is not one. */
export function parseGoDuration(text: unknown): number | null {
  if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return text * 1000; // Argo reads a bare number as seconds
  if (typeof text !== 'string' || text.length === 0 || text.length > 40) return null;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** Resources as one multi-document YAML string (`---` between documents). */
export function toMultiDocumentYaml(resources: readonly KubeObject[], header: string[] = []): string {
  const comments = header.map((h) => `# ${h}\n`).join('');
  return comments + resources.map((r) => stringify(r, { lineWidth: 0, version: '1.2' })).join('---\n');
}

/** The documents of a pasted manifest, bounded; problems in words when it cannot be read. */
export function readDocuments(text: string): { ok: true; documents: KubeObject[] } | { ok: false; problems: string[] } {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, problems: ['The YAML is empty: paste the manifest exported from Switchback or written for the cluster'] };
  if (text.length > MAX_YAML_CHARS) return { ok: false, problems: [`The YAML is too long: at most ${MAX_YAML_CHARS / 1024} KB`] };
  const documents: KubeObject[] = [];
  try {
    const docs = parseAllDocuments(text, { schema: 'core', version: '1.2', uniqueKeys: true, prettyErrors: false });
    if (!Array.isArray(docs)) return { ok: false, problems: ['The YAML cannot be read'] };
    const errors = docs.flatMap((d) => d.errors);
    if (errors.length > 0) return { ok: false, problems: errors.slice(0, 10).map((e) => `The YAML cannot be read: ${e.message.split('\n')[0]!.slice(0, 300)}`) };
    const nonEmpty = docs.filter((d) => d.contents !== null);
    if (nonEmpty.length > MAX_DOCUMENTS) return { ok: false, problems: [`Too many documents: at most ${MAX_DOCUMENTS}`] };
    for (const [i, d] of nonEmpty.entries()) {
      const v: unknown = d.toJS({ maxAliasCount: MAX_ALIASES });
      if (!isObject(v)) return { ok: false, problems: [`Document ${i + 1} is not a mapping: each document is one Kubernetes resource (apiVersion, kind, metadata, spec)`] };
      documents.push(v);
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, problems: [/call stack/i.test(msg) ? 'The YAML is nested too deeply' : `The YAML cannot be read: ${msg.split('\n')[0]!.slice(0, 300)}`] };
  }
  if (documents.length === 0) return { ok: false, problems: ['The YAML holds no document'] };
  return { ok: true, documents };
}

export function isObject(v: unknown): v is KubeObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `obj.a.b.c` when every step is an object; undefined otherwise. */
export function at(obj: unknown, ...path: string[]): unknown {
  let v = obj;
  for (const k of path) v = isObject(v) ? v[k] : undefined;
  return v;
}

/** "Rollout checkout" — how a document is named in a problem. */
export function describeDoc(doc: KubeObject, index: number): string {
  const kind = typeof doc.kind === 'string' ? doc.kind.slice(0, 60) : 'resource without a kind';
  const name = at(doc, 'metadata', 'name');
  return `${kind}${typeof name === 'string' ? ` "${name.slice(0, 100)}"` : ''} (document ${index + 1})`;
}

/** A JSON annotation of ours, parsed; undefined when absent or not JSON (a note says so). */
export function readJsonAnnotation(doc: KubeObject, key: string, notes: string[]): unknown {
  const raw = at(doc, 'metadata', 'annotations', key);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length > 32_768) {
    notes.push(`The annotation ${key} is not a JSON text: ignored`);
    return undefined;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    notes.push(`The annotation ${key} is not valid JSON: ignored`);
    return undefined;
  }
}

/** zod issues in words with their path ("steps.2.weight: At most 100 %"). */
export function issueWords(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix: string): string[] {
  return issues.slice(0, 20).map((i) => `${prefix}${i.path.length ? `${i.path.map(String).join('.')}: ` : ''}${i.message}`);
}
