// What the HAProxy fault maps must hold for a set of faults: the whole content of every map the
// generated fault rules read (generate.ts faultRules). The adapter replaces each map with this
// content, so whatever was in a map and is not in the set — an orphan of an earlier worker, an
// entry added by hand — is gone after one push.
import { headerValueProblem } from '../../domain/header-route-values';
import type { FaultInjection, FleetInstance, PlatformCapabilities } from '../adapter';
import { ERROR_STATUSES, FAULT_COHORT_HEADER, FAULT_COHORT_ANY, faultMaps, type HaproxyConfig } from './config';

type Service = HaproxyConfig['services'][number];
type Mapping = HaproxyConfig['instances'][number];
export type MapContent = Array<[file: string, entries: Array<[string, string]>]>;

/** The HAProxy backend a fault on a whole backend means: a service's name or a backend's own name. */
export function faultBackend(config: HaproxyConfig, name: string): string | null {
  const svc = config.services.find((s) => s.service === name);
  if (svc) return svc.backend;
  const known = config.services.some((s) => s.backend === name || Object.values(s.versionBackends).includes(name));
  return known ? name : null;
}

/** What the generated fault rules cannot do, as capabilities (authoring refuses these in words; faultProblem says the same). */
export const FAULT_RULE_LIMITS = {
  faultCohortKinds: ['http-error', 'delay', 'loss'],
  faultCohortReservedValues: [FAULT_COHORT_ANY],
  faultErrorStatuses: [...ERROR_STATUSES],
  faultLossWholeServiceOnly: true,
  faultWholePercentOnly: true,
} satisfies Partial<PlatformCapabilities>;

/** Why HAProxy cannot carry this fault, in words; null when it can. */
export function faultProblem(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, fault: FaultInjection): string | null {
  const s = fault.spec;
  if (s.kind === 'http-error' && !(ERROR_STATUSES as readonly number[]).includes(s.status)) return `the haproxy adapter cannot return HTTP ${s.status} (it can return ${ERROR_STATUSES.join(', ')})`;
  // The rules draw rand(100): a fraction would be rounded (0.4 % to nothing) yet reported injected.
  if ((s.kind === 'http-error' || s.kind === 'loss') && !Number.isInteger(s.pct)) return `the haproxy adapter cannot inject ${s.kind} on ${s.pct} % of requests (whole percentages only)`;
  if (s.kind === 'loss' && !fault.backend) return 'the haproxy adapter cannot reset connections of one server (only of a whole backend: the reset happens before a server is chosen)';
  if (s.kind === 'cpu-stress' || s.kind === 'buffer-saturation') return `the haproxy adapter cannot inject ${s.kind} (it sees traffic, not hosts)`;
  if (fault.backend && !faultBackend(config, fault.backend)) return `no HAProxy backend for service ${fault.backend}`;
  if (!fault.backend && !byId.has(fault.instanceId)) return `no mapped server for instance ${fault.instanceId}`;
  if (fault.cohort) {
    if (s.kind === 'kill' || s.kind === 'drain') return `the haproxy adapter cannot scope ${s.kind} to a cohort (it changes the server's state for every request)`;
    if (fault.cohort.header.toLowerCase() !== FAULT_COHORT_HEADER.toLowerCase()) return `the haproxy adapter scopes faults by ${FAULT_COHORT_HEADER} only, not ${fault.cohort.header}`;
    const p = headerValueProblem(fault.cohort.value) ?? (fault.cohort.value === FAULT_COHORT_ANY ? `the cohort value may not be "${FAULT_COHORT_ANY}"` : null);
    if (p) return `cohort ${fault.cohort.header}: ${p}`;
  }
  return null;
}

/** The map slot a fault occupies on its keys (its expiry and cohort are kept per slot and key); null for drain / kill. */
export function faultSlot(f: FaultInjection): 'err' | 'delay' | 'reset' | null {
  const k = f.spec.kind;
  return k === 'http-error' ? 'err' : k === 'delay' ? 'delay' : k === 'loss' ? 'reset' : null;
}

/** The map keys of a fault: a whole backend (`be_x`), or one server in its service and version backends (`be_x/srv`). */
export function faultKeys(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, f: FaultInjection): string[] {
  if (f.backend) {
    const b = faultBackend(config, f.backend);
    return b ? [b] : [];
  }
  const x = byId.get(f.instanceId);
  const svc: Service | undefined = x && config.services.find((s) => s.service === x.map.service);
  if (!x || !svc) return [];
  return [svc.backend, svc.versionBackends[x.map.version]].filter((b): b is string => !!b).map((b) => `${b}/${x.map.server}`);
}

/**
 * Faults HAProxy can carry together, in the order given (the earliest first): each slot on a key
 * holds one value, one expiry and one cohort, so a later fault that wants a slot an earlier one
 * holds is refused in words — two faults on one slot would overwrite each other, and one would
 * outlive its own expiry or take the other's cohort while both were reported injected.
 */
export function admitFaults(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, faults: Iterable<FaultInjection>, missingMaps: readonly string[] = []): { admitted: FaultInjection[]; failed: Array<{ id: string; error: string }> } {
  const admitted: FaultInjection[] = [];
  const failed: Array<{ id: string; error: string }> = [];
  const holder = new Map<string, FaultInjection>();
  for (const f of faults) {
    const problem = faultProblem(config, byId, f) ?? mapsProblem(config, f, missingMaps);
    if (problem) {
      failed.push({ id: f.id, error: problem });
      continue;
    }
    const slot = faultSlot(f);
    const keys = slot ? faultKeys(config, byId, f).map((k) => `${slot}:${k}`) : [];
    const taken = keys.map((k) => holder.get(k)).find((x) => x !== undefined);
    if (taken) {
      failed.push({ id: f.id, error: `the haproxy adapter cannot hold two ${f.spec.kind} faults on ${keys[0]!.slice(slot!.length + 1)} at once (fault ${taken.id} already holds it)` });
      continue;
    }
    for (const k of keys) holder.set(k, f);
    admitted.push(f);
  }
  return { admitted, failed };
}

/** Why the running HAProxy cannot carry this fault because its configuration does not load a map the fault needs; null when it can. */
function mapsProblem(config: HaproxyConfig, f: FaultInjection, missing: readonly string[]): string | null {
  const slot = faultSlot(f);
  if (!slot || missing.length === 0) return null;
  const m = faultMaps(config.mapDir);
  const s = f.spec;
  const needs = [m.expiry, s.kind === 'http-error' ? m.error[s.status as (typeof ERROR_STATUSES)[number]] : s.kind === 'delay' ? m.delay : m.reset, ...(f.cohort ? [m.cohort] : [])];
  const gone = needs.filter((x) => missing.includes(x));
  return gone.length ? `the HAProxy configuration does not load ${gone.map((x) => x.replace(/.*\//, '')).join(', ')} (regenerate it with Switchback's fault rules)` : null;
}

/** The fault map files the running HAProxy does not load (`show map` lists what it loaded). */
export async function missingFaultMaps(config: HaproxyConfig, send: (cmd: string) => Promise<string>): Promise<string[]> {
  const loaded = await send('show map');
  const m = faultMaps(config.mapDir);
  return [...Object.values(m.error), m.delay, m.reset, m.expiry, m.cohort].filter((f) => !loaded.includes(f));
}

/**
 * The content of every fault map for the live (unexpired at `now`) faults. Keys: a whole backend
 * (`be_x`) or one server in the service backend and in its version backend (`be_x/srv`). Each
 * fault also writes its expiry (epoch s, rounded down: never late) under `<kind>:<key>`, and its
 * cohort header value, if any, under the same key.
 */
export function faultMapContent(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, faults: Iterable<FaultInjection>, now: Date): MapContent {
  const m = faultMaps(config.mapDir);
  const maps = new Map<string, Map<string, string>>([...Object.values(m.error), m.delay, m.reset, m.expiry, m.cohort].map((f) => [f, new Map()]));
  for (const f of faults) {
    if (f.expiresAt <= now) continue;
    const slot = faultSlot(f);
    if (!slot) continue;
    const exp = String(Math.floor(f.expiresAt.getTime() / 1000));
    const s = f.spec;
    for (const key of faultKeys(config, byId, f)) {
      if (s.kind === 'http-error') maps.get(m.error[s.status as (typeof ERROR_STATUSES)[number]])!.set(key, String(s.pct));
      else if (s.kind === 'delay') maps.get(m.delay)!.set(key, `${Math.round(s.delayMs)}:${Math.round(s.jitterMs)}`);
      else if (s.kind === 'loss') maps.get(m.reset)!.set(key, String(s.pct));
      maps.get(m.expiry)!.set(`${slot}:${key}`, exp);
      if (f.cohort) maps.get(m.cohort)!.set(`${slot}:${key}`, f.cohort.value);
    }
  }
  return [...maps.entries()].map(([file, entries]) => [file, [...entries.entries()]]);
}

/** A map's content as one comparable string (the order is the order of the faults). */
export const mapSignature = (entries: ReadonlyArray<readonly [string, string]>) => entries.map(([k, v]) => `${k} ${v}`).join('\n');
