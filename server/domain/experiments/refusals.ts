// Authoring refuses the faults the active adapter cannot inject, in words that say why and what to
// choose instead, before anything starts — and warns when a fault has no dead man's switch in the
// platform (it would outlive every worker until one is back).
import { REQUEST_FAULT_KINDS, type ExperimentSpec, type FaultSpecValue } from './spec';

type FaultKind = FaultSpecValue['kind'];

/**
 * The part of a platform's capabilities experiments depend on. Same field names as
 * PlatformCapabilities in server/platform/adapter.ts (server/domain may not import it), plus the
 * adapter's kind (`sim`, `haproxy`, …) for the words.
 */
export interface FaultCapabilities {
  kind: string;
  /** Fault kinds the adapter can inject. */
  faults: readonly string[];
  /** Fault kinds the platform expires by itself (no worker needed). */
  faultExpiryInPlatform: readonly string[];
  /** Headers a fault can be scoped by; 'any', or [] = no cohort scoping at all. */
  faultCohortHeaders: 'any' | readonly string[];
  /** Kinds that honour a cohort; absent = every request kind the adapter injects. */
  faultCohortKinds?: readonly string[];
  /** Cohort values the platform cannot scope by (HAProxy's "no cohort" `*`). */
  faultCohortReservedValues?: readonly string[];
  /** HTTP statuses an http-error fault can return; absent = any 400–599. */
  faultErrorStatuses?: readonly number[];
  /** Packet loss hits a whole service, never some of its instances. */
  faultLossWholeServiceOnly?: boolean;
  /** Fault percentages must be whole numbers. */
  faultWholePercentOnly?: boolean;
}

/** What the selection hits of each targeted service (selection.ts perService), when known. */
export interface ServiceHit {
  service: string;
  selected: number;
  total: number;
}

export interface FaultRefusals {
  refusals: string[];
  warnings: string[];
}

const ADAPTER_NAMES: Record<string, string> = { sim: 'simulator', simulator: 'simulator', haproxy: 'HAProxy' };

export function adapterName(kind: string): string {
  return ADAPTER_NAMES[kind] ?? kind;
}

/** Why a traffic-layer adapter (a proxy in front of the instances) cannot do a kind. */
const PROXY_CANNOT: Partial<Record<FaultKind, string>> = {
  'cpu-stress': 'it sees traffic, not hosts',
  'buffer-saturation': "it sees traffic, not the service's stage buffers",
};

const isRequestFault = (kind: FaultKind) => (REQUEST_FAULT_KINDS as readonly string[]).includes(kind);

/**
 * What the adapter refuses of `spec`, in words with what to choose instead. `hits` (the
 * selection's per-service counts) lets a platform that faults whole services only say which
 * service the run would hit entirely; without it the spec's selection mode judges.
 */
export function faultRefusals(spec: ExperimentSpec, caps: FaultCapabilities, hits?: readonly ServiceHit[]): FaultRefusals {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const fault = spec.fault;
  const kind = fault.kind;
  const who = `the ${adapterName(caps.kind)} adapter`;

  if (!caps.faults.includes(kind)) {
    const why = caps.kind === 'haproxy' && PROXY_CANNOT[kind] ? ` (${PROXY_CANNOT[kind]})` : '';
    const choose = caps.faults.length === 0 ? 'it injects no faults: run the experiment on an adapter that does' : `choose one it supports: ${caps.faults.join(', ')}`;
    refusals.push(`${cap(who)} cannot inject ${kind}${why}; ${choose}`);
  } else {
    refusals.push(...shapeRefusals(spec, caps, who, hits));
  }

  const cohort = spec.cohort;
  if (cohort) {
    const scoped = `requests carrying ${cohort.header}: ${cohort.value}`;
    const scopable = caps.faultCohortKinds ?? caps.faults.filter((k) => isRequestFault(k as FaultKind));
    if (!isRequestFault(kind)) {
      refusals.push(`A cohort scopes a fault to some requests (${scoped}), but ${kind} hits the whole instance: remove the cohort, or choose ${REQUEST_FAULT_KINDS.join(', ')}`);
    } else if (caps.faultCohortHeaders !== 'any' && caps.faultCohortHeaders.length === 0) {
      refusals.push(`${cap(who)} cannot scope a fault to a cohort (${scoped}): remove the cohort to hit every request of the targets`);
    } else if (caps.faults.includes(kind) && !scopable.includes(kind)) {
      refusals.push(`${cap(who)} cannot scope ${kind} to a cohort (${scoped}): remove the cohort${scopable.length ? `, or choose ${scopable.join(', ')}` : ''}`);
    } else if (caps.faultCohortHeaders !== 'any' && !caps.faultCohortHeaders.map((h) => h.toLowerCase()).includes(cohort.header.toLowerCase())) {
      refusals.push(`${cap(who)} can scope faults only by ${caps.faultCohortHeaders.join(', ')}, not by ${cohort.header}: use one of those headers or remove the cohort`);
    } else if (caps.faultCohortReservedValues?.includes(cohort.value)) {
      refusals.push(`${cap(who)} cannot scope a fault by the value "${cohort.value}" (it means "no cohort" there): choose another value of ${cohort.header}`);
    }
  }

  if (caps.faults.includes(kind) && !caps.faultExpiryInPlatform.includes(kind)) {
    warnings.push(
      `${kind} on ${adapterName(caps.kind)} is removed by a worker's reaper, not by the platform itself; if every worker dies it stays until one is back`,
    );
  }
  return { refusals, warnings };
}

/** What a platform refuses of a kind it can inject: the status, fractional shares, loss on part of a service. */
function shapeRefusals(spec: ExperimentSpec, caps: FaultCapabilities, who: string, hits: readonly ServiceHit[] | undefined): string[] {
  const out: string[] = [];
  const fault = spec.fault;
  if (fault.kind === 'http-error' && caps.faultErrorStatuses && !caps.faultErrorStatuses.includes(fault.status)) {
    out.push(`${cap(who)} cannot return HTTP ${fault.status}: choose one of ${caps.faultErrorStatuses.join(', ')}`);
  }
  if (caps.faultWholePercentOnly) {
    const share = 'pct' in fault ? fault.pct : 'fillPct' in fault ? fault.fillPct : null;
    if (share !== null && !Number.isInteger(share)) {
      out.push(`${cap(who)} applies faults to a whole percentage of requests, not ${share} %: choose ${Math.floor(share)} or ${Math.ceil(share)} %`);
    }
  }
  if (fault.kind === 'loss' && caps.faultLossWholeServiceOnly) {
    const why = `${cap(who)} drops connections of a whole service only (before a server is chosen)`;
    const fix = 'select every instance of the service (selection all, with a blast-radius cap of 100 %), or choose delay or http-error';
    const partial = hits ? hits.filter((h) => h.selected > 0 && h.selected < h.total) : spec.selection.mode === 'all' ? [] : null;
    if (partial === null) out.push(`${why}: loss would hit every instance of the targeted services, not the selection; ${fix}`);
    else for (const h of partial) out.push(`${why}: loss would hit all ${h.total} instances of ${h.service}, not the ${h.selected} selected; ${fix}`);
  }
  return out;
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
