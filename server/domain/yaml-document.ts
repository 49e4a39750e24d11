// One YAML document of a kind (`kind: Rollout`, `kind: ChaosExperiment`), validated by the zod
// schema of that kind, with every problem pointing at its line — shared by the rollout and the
// experiment YAML views so both read, bound and explain a paste the same way.
//
// Input is bounded: at most 64 KB, few aliases (an anchor bomb expands exponentially), and only the
// YAML 1.2 core schema (no custom tags), so parsing a hostile paste costs little.
//
// The `yaml` package is a pure parser (no I/O); it is the one library besides zod the domain uses.
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export const MAX_YAML_CHARS = 64 * 1024;
const MAX_ALIASES = 20;

export interface YamlIssue {
  /** Dot-separated path in the document ("steps.2.weight"); "" for the document itself. */
  path: string;
  /** 1-based line of the YAML the problem is on, when known. */
  line?: number;
  message: string;
}

export type ParseKindResult<T> = { ok: true; value: T } | { ok: false; issues: YamlIssue[] };

/**
 * Parse `text` as a mapping with an optional `kind: <kind>` marker and validate the rest with
 * `schema`. `fields` says what the mapping holds, for the "Expected a mapping" message.
 */
export function parseKindDocument<S extends z.ZodType>(text: string, kind: string, schema: S, fields: string): ParseKindResult<z.output<S>> {
  if (text.length > MAX_YAML_CHARS) return fail([{ path: '', message: `The YAML is too long: at most ${MAX_YAML_CHARS / 1024} KB` }]);
  const lines = new LineCounter();
  let doc: Document;
  let value: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, schema: 'core', version: '1.2', uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      return fail(doc.errors.slice(0, 20).map((e) => ({ path: '', line: lines.linePos(e.pos[0]).line, message: firstLine(e.message) })));
    }
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // Alias bombs (maxAliasCount) and pathological nesting (the stack) land here.
    return fail([{ path: '', message: `The YAML cannot be read: ${firstLine(err instanceof Error ? err.message : String(err))}` }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail([{ path: '', line: 1, message: `Expected a mapping: kind: ${kind}, then ${fields}` }]);
  const { kind: given, ...rest } = value as Record<string, unknown>;
  if (given !== undefined && given !== kind) return fail([{ path: 'kind', line: lineOf(doc, lines, ['kind']), message: `kind: expected ${kind}` }]);
  const parsed = schema.safeParse(rest);
  if (parsed.success) return { ok: true, value: parsed.data };
  return fail(
    parsed.error.issues.slice(0, 50).map((issue) => {
      const path = issue.path.map(String);
      // An unknown key points at the key itself, not at the mapping that holds it.
      const keyed = issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...path, issue.keys[0]!] : path;
      return { path: keyed.join('.'), line: lineOf(doc, lines, keyed.map(segment)), message: issue.message + quoteHint(issue, valueAt(rest, issue.path)) };
    }),
  );
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** YAML reads `version: 1.4` as a number and `value: yes` as text but `true` as a boolean: say so. */
function quoteHint(issue: { code: string; expected?: unknown }, value: unknown): string {
  if (issue.code !== 'invalid_type' || issue.expected !== 'string') return '';
  if (typeof value !== 'number' && typeof value !== 'boolean') return '';
  return ` (YAML reads ${String(value)} as a ${typeof value}: put it in quotes, "${String(value)}")`;
}

function fail<T>(issues: YamlIssue[]): ParseKindResult<T> {
  return { ok: false, issues };
}

function firstLine(s: string): string {
  // The parser reports runaway nesting as the engine's stack error: say what it means.
  if (/call stack/i.test(s)) return 'The YAML is nested too deeply';
  return s.split('\n')[0]!.slice(0, 300);
}

const segment = (s: string): string | number => (/^\d+$/.test(s) ? Number(s) : s);

/** The line of the deepest node on `path` that exists (a missing field points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: ReadonlyArray<string | number>): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const at = path.slice(0, n);
    if (n > 0) {
      const parent = at.length === 1 ? doc.contents : doc.getIn(at.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(at[at.length - 1]));
        // The key's line: where a person looks for a field, also when its value is a block below.
        const key = pair?.key as Node | undefined;
        if (key?.range) return lines.linePos(key.range[0]).line;
        continue;
      }
    }
    const node = (n === 0 ? doc.contents : doc.getIn(at, true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
