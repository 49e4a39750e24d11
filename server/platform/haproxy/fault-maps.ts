// What the HAProxy fault maps must hold for a set of faults: the whole content of every map the
// generated fault rules read (generate.ts faultRules). The adapter replaces each map with this
// content, so whatever was in a map and is not in the set — an orphan of an earlier worker, an
// entry added by hand — is gone after one push.
import { headerValueProblem } from '../../domain/header-route-values';
import type { FaultInjection, FleetInstance } from '../adapter';
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

/** Why HAProxy cannot carry this fault, in words; null when it can. */
export function faultProblem(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, fault: FaultInjection): string | null {
  const s = fault.spec;
  if (s.kind === 'http-error' && !(ERROR_STATUSES as readonly number[]).includes(s.status)) return `the haproxy adapter cannot return HTTP ${s.status} (it can return ${ERROR_STATUSES.join(', ')})`;
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

/**
 * The content of every fault map for the live (unexpired at `now`) faults. Keys: a whole backend
 * (`be_x`) or one server in the service backend and in its version backend (`be_x/srv`). Each
 * fault also writes its expiry (epoch s, rounded down: never late) under `<kind>:<key>`, and its
 * cohort header value, if any, under the same key.
 */
export function faultMapContent(config: HaproxyConfig, byId: ReadonlyMap<string, { inst: FleetInstance; map: Mapping }>, faults: Iterable<FaultInjection>, now: Date): MapContent {
  const m = faultMaps(config.mapDir);
  const maps = new Map<string, Map<string, string>>([...Object.values(m.error), m.delay, m.reset, m.expiry, m.cohort].map((f) => [f, new Map()]));
  const service = (name: string): Service | undefined => config.services.find((x) => x.service === name);
  for (const f of faults) {
    if (f.expiresAt <= now) continue;
    const keys: string[] = [];
    if (f.backend) {
      const b = faultBackend(config, f.backend);
      if (b) keys.push(b);
    } else {
      const x = byId.get(f.instanceId);
      const svc = x && service(x.map.service);
      if (x && svc) for (const b of [svc.backend, svc.versionBackends[x.map.version]]) if (b) keys.push(`${b}/${x.map.server}`);
    }
    const exp = String(Math.floor(f.expiresAt.getTime() / 1000));
    const s = f.spec;
    for (const key of keys) {
      let kind: string;
      if (s.kind === 'http-error') {
        maps.get(m.error[s.status as (typeof ERROR_STATUSES)[number]])!.set(key, String(Math.round(s.pct)));
        kind = 'err';
      } else if (s.kind === 'delay') {
        maps.get(m.delay)!.set(key, `${Math.round(s.delayMs)}:${Math.round(s.jitterMs)}`);
        kind = 'delay';
      } else if (s.kind === 'loss') {
        maps.get(m.reset)!.set(key, String(Math.round(s.pct)));
        kind = 'reset';
      } else continue;
      maps.get(m.expiry)!.set(`${kind}:${key}`, exp);
      if (f.cohort) maps.get(m.cohort)!.set(`${kind}:${key}`, f.cohort.value);
    }
  }
  return [...maps.entries()].map(([file, entries]) => [file, [...entries.entries()]]);
}

/** A map's content as one comparable string (the order is the order of the faults). */
export const mapSignature = (entries: ReadonlyArray<readonly [string, string]>) => entries.map(([k, v]) => `${k} ${v}`).join('\n');
