// Authoring refuses the faults the active adapter cannot inject, in words that say why and what to
// choose instead, before anything starts — and warns when a fault has no dead man's switch in the
// platform (it would outlive every worker until one is back).
import type { ExperimentSpec, FaultSpecValue } from './spec';

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

/** Faults on whole instances: a cohort (some requests) cannot scope them. */
const INSTANCE_FAULTS: ReadonlySet<FaultKind> = new Set(['kill', 'drain', 'cpu-stress', 'buffer-saturation']);
/** The kinds a cohort can scope, in words for "choose …". */
const REQUEST_FAULTS = ['delay', 'loss', 'http-error'] as const;

export function faultRefusals(spec: ExperimentSpec, caps: FaultCapabilities): FaultRefusals {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const kind = spec.fault.kind;
  const who = `the ${adapterName(caps.kind)} adapter`;

  if (!caps.faults.includes(kind)) {
    const why = caps.kind === 'haproxy' && PROXY_CANNOT[kind] ? ` (${PROXY_CANNOT[kind]})` : '';
    const choose = caps.faults.length === 0 ? 'it injects no faults: run the experiment on an adapter that does' : `choose one it supports: ${caps.faults.join(', ')}`;
    refusals.push(`${cap(who)} cannot inject ${kind}${why}; ${choose}`);
  }

  const cohort = spec.cohort;
  if (cohort) {
    const scoped = `requests carrying ${cohort.header}: ${cohort.value}`;
    if (INSTANCE_FAULTS.has(kind)) {
      refusals.push(`A cohort scopes a fault to some requests (${scoped}), but ${kind} hits the whole instance: remove the cohort, or choose ${REQUEST_FAULTS.join(', ')}`);
    } else if (caps.faultCohortHeaders !== 'any') {
      const allowed = caps.faultCohortHeaders.map((h) => h.toLowerCase());
      if (allowed.length === 0) {
        refusals.push(`${cap(who)} cannot scope a fault to a cohort (${scoped}): remove the cohort to hit every request of the targets`);
      } else if (!allowed.includes(cohort.header.toLowerCase())) {
        refusals.push(`${cap(who)} can scope faults only by ${caps.faultCohortHeaders.join(', ')}, not by ${cohort.header}: use one of those headers or remove the cohort`);
      }
    }
  }

  if (caps.faults.includes(kind) && !caps.faultExpiryInPlatform.includes(kind)) {
    warnings.push(
      `${kind} on ${adapterName(caps.kind)} is removed by a worker's reaper, not by the platform itself; if every worker dies it stays until one is back`,
    );
  }
  return { refusals, warnings };
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}
