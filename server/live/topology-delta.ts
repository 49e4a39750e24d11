// What changed between two JSON-like trees (a topology snapshot and the next tick's), and the
// patch applied back onto the older one. Pure, and shared with the browser (the topology hook
// applies the patches). It knows no field names: any field the read model gains travels when it
// changes. Arrays whose items are objects with distinct string ids (regions, zones, clusters,
// instances) are matched by id, so a tick that changes one instance's weight sends that weight,
// not the array; an added item is sent whole, a removed one is left out of the new id order.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One change. `v`: the new value as is. `o`: an object's changed keys (`s`) and removed keys
 * (`d`). `k`: an id-keyed array's changed items (`c`, by id), new items (`a`, whole) and, when the
 * members or their order changed, the new order of ids (`ids`).
 * Pairs rather than records, so an id or key can never land on an object's prototype.
 */
export type Patch =
  | { v: Json }
  | { o: { s?: Array<[string, Patch]>; d?: string[] } }
  | { k: { c?: Array<[string, Patch]>; a?: Json[]; ids?: string[] } };

type Obj = { [key: string]: Json };

const isObj = (x: Json | undefined): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The ids of an array whose items are all objects with distinct string ids; null otherwise. */
function idsOf(arr: Json[]): string[] | null {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const item of arr) {
    if (!isObj(item) || typeof item.id !== 'string' || seen.has(item.id)) return null;
    seen.add(item.id);
    ids.push(item.id);
  }
  return ids;
}

/** The patch that turns `base` into `next`, or null when they are equal. */
export function diff(base: Json, next: Json): Patch | null {
  if (base === next) return null;
  if (isObj(base) && isObj(next)) {
    const s: Array<[string, Patch]> = [];
    const d: string[] = [];
    for (const key of Object.keys(next)) {
      if (!Object.hasOwn(base, key)) s.push([key, { v: next[key]! }]);
      else {
        const p = diff(base[key]!, next[key]!);
        if (p) s.push([key, p]);
      }
    }
    for (const key of Object.keys(base)) if (!Object.hasOwn(next, key)) d.push(key);
    if (!s.length && !d.length) return null;
    return { o: { ...(s.length ? { s } : {}), ...(d.length ? { d } : {}) } };
  }
  if (Array.isArray(base) && Array.isArray(next)) {
    const baseIds = idsOf(base);
    const nextIds = idsOf(next);
    // Keyed only when both sides are keyed and the base is not empty (an empty base has no items to patch).
    if (baseIds && nextIds && baseIds.length > 0) {
      const byId = new Map(base.map((item) => [(item as Obj).id as string, item]));
      const c: Array<[string, Patch]> = [];
      const a: Json[] = [];
      for (const item of next) {
        const old = byId.get((item as Obj).id as string);
        if (old === undefined) a.push(item);
        else {
          const p = diff(old, item);
          if (p) c.push([(item as Obj).id as string, p]);
        }
      }
      const reordered = baseIds.length !== nextIds.length || nextIds.some((id, i) => baseIds[i] !== id);
      if (!c.length && !a.length && !reordered) return null;
      return { k: { ...(c.length ? { c } : {}), ...(a.length ? { a } : {}), ...(reordered ? { ids: nextIds } : {}) } };
    }
    if (base.length === next.length) {
      let equal = true;
      for (let i = 0; i < base.length && equal; i++) equal = diff(base[i]!, next[i]!) === null;
      if (equal) return null;
    }
  }
  return { v: next };
}

/** Thrown when a patch does not fit its base: the caller resyncs from a snapshot. */
export class PatchMismatch extends Error {}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `base` with `patch` applied. Unchanged subtrees keep their identity (React skips them); the
 * base is never modified. Throws PatchMismatch when the patch was made against another base.
 */
export function apply<T extends Json>(base: T, patch: Patch | null): T {
  if (patch === null) return base;
  if ('v' in patch) return patch.v as T;
  if ('o' in patch) {
    if (!isObj(base)) throw new PatchMismatch('an object patch for a value that is not an object');
    const out: Obj = { ...base };
    for (const [key, p] of patch.o.s ?? []) {
      if (UNSAFE_KEYS.has(key)) throw new PatchMismatch(`refused key ${key}`);
      if (!Object.hasOwn(base, key) && !('v' in p)) throw new PatchMismatch(`a patch for the missing key ${key}`);
      out[key] = Object.hasOwn(base, key) ? apply(base[key]!, p) : (p as { v: Json }).v;
    }
    for (const key of patch.o.d ?? []) delete out[key];
    return out as T;
  }
  if (!Array.isArray(base)) throw new PatchMismatch('an array patch for a value that is not an array');
  const byId = new Map<string, Json>();
  const items: Json[] = base;
  for (const item of items) if (isObj(item) && typeof item.id === 'string') byId.set(item.id, item);
  for (const [id, p] of patch.k.c ?? []) {
    const old = byId.get(id);
    if (old === undefined) throw new PatchMismatch(`a patch for the missing item ${id}`);
    byId.set(id, apply(old, p));
  }
  for (const item of patch.k.a ?? []) {
    if (!isObj(item) || typeof item.id !== 'string') throw new PatchMismatch('an added item without an id');
    byId.set(item.id, item);
  }
  if (!patch.k.ids) return items.map((item) => byId.get((item as Obj).id as string)!) as T;
  return patch.k.ids.map((id) => {
    const item = byId.get(id);
    if (item === undefined) throw new PatchMismatch(`the new order names the unknown item ${id}`);
    return item;
  }) as T;
}

/** What the topology feed sends per tick. */
export type TopologyFeedMessage<M> =
  | { kind: 'snapshot'; tickId: string; map: M }
  /** `patch` turns the map of `baseTickId` into the map of `tickId`; null when nothing changed but the tick. */
  | { kind: 'delta'; baseTickId: string; tickId: string; patch: Patch | null };

/**
 * The client's step: the map after `message`, or 'resync' when the message does not fit what the
 * client holds (a missed tick, a patch made for another base): it then refetches the snapshot.
 * A message for a tick the client already has (or an older one) changes nothing.
 */
export function applyFeedMessage<M extends { tickId: string | null }>(current: M | undefined, message: TopologyFeedMessage<M>): M | 'resync' {
  if (current?.tickId && /^\d+$/.test(current.tickId) && BigInt(message.tickId) <= BigInt(current.tickId)) return current;
  if (message.kind === 'snapshot') return message.map;
  if (!current || current.tickId !== message.baseTickId) return 'resync';
  try {
    return apply(current as unknown as Json, message.patch) as unknown as M;
  } catch (err) {
    if (err instanceof PatchMismatch) return 'resync';
    throw err;
  }
}
