// Rebasing an edit of a policy onto a newer version, field by field. A field only I changed keeps
// my value; a field only they changed takes theirs without asking; a field we both changed (to
// different values) is a question for the person: keep mine or take theirs. Pure, unit-tested.

export type Doc = Record<string, unknown>;

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface FieldConflict {
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface Rebase {
  /** Fields only they changed: taken automatically. */
  taken: FieldChange[];
  /** Fields only I changed: kept. */
  kept: FieldChange[];
  /** Fields both changed to different values: the person chooses. */
  conflicts: FieldConflict[];
}

export type Choice = 'mine' | 'theirs';

const isPlain = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaf values by dot path; arrays (the strategy order) are one value. */
export function leaves(doc: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (isPlain(doc)) for (const [k, v] of Object.entries(doc)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out.set(prefix, doc);
  return out;
}

export const getAt = (doc: Doc, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isPlain(o) ? o[k] : undefined), doc);

/** A copy of `doc` with `path` set (or removed, when value is undefined). */
export function setAt(doc: Doc, path: string, value: unknown): Doc {
  const copy = structuredClone(doc);
  const parts = path.split('.');
  let node = copy;
  for (const p of parts.slice(0, -1)) {
    if (!isPlain(node[p])) node[p] = {};
    node = node[p] as Doc;
  }
  if (value === undefined) delete node[parts.at(-1)!];
  else node[parts.at(-1)!] = value;
  return copy;
}

/** Field-level differences from `a` to `b`, sorted by path. */
export function diffDocs(a: unknown, b: unknown): FieldChange[] {
  const la = leaves(a);
  const lb = leaves(b);
  const paths = [...new Set([...la.keys(), ...lb.keys()])].sort();
  return paths.filter((p) => !same(la.get(p), lb.get(p))).map((path) => ({ path, before: la.get(path), after: lb.get(path) }));
}

/** How my edit of `base` relates to theirs (the newer version, also made from `base`). */
export function planRebase(base: Doc, mine: Doc, theirs: Doc): Rebase {
  const lb = leaves(base);
  const lm = leaves(mine);
  const lt = leaves(theirs);
  const paths = [...new Set([...lb.keys(), ...lm.keys(), ...lt.keys()])].sort();
  const out: Rebase = { taken: [], kept: [], conflicts: [] };
  for (const path of paths) {
    const [b, m, t] = [lb.get(path), lm.get(path), lt.get(path)];
    const iChanged = !same(b, m);
    const theyChanged = !same(b, t);
    if (theyChanged && !iChanged) out.taken.push({ path, before: b, after: t });
    else if (iChanged && !theyChanged) out.kept.push({ path, before: b, after: m });
    else if (iChanged && theyChanged && !same(m, t)) out.conflicts.push({ path, base: b, mine: m, theirs: t });
  }
  return out;
}

/** The rebased document: theirs, with my kept changes and my choices applied. Null while a conflict is undecided. */
export function applyRebase(theirs: Doc, plan: Rebase, choices: Readonly<Record<string, Choice>>): Doc | null {
  if (plan.conflicts.some((c) => !choices[c.path])) return null;
  let doc = structuredClone(theirs);
  for (const k of plan.kept) doc = setAt(doc, k.path, k.after);
  for (const c of plan.conflicts) if (choices[c.path] === 'mine') doc = setAt(doc, c.path, c.mine);
  return doc;
}
