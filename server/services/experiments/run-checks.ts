// What a run's start and its controller read before faults go in, each in words for the console:
// the topology guards of the target zones, what the active platform can inject, the fleet the
// targets are drawn from and the admin's global blast-radius cap. Halt-all and freeze windows are
// the safety layer's (server/services/safety/halt-checks.ts, freeze.ts): one wording everywhere.
// The start (one transaction) and the controller's pending look read the same rows.
import type { DbOrTx } from '../../db/client';
import type { PlatformCapabilities } from '../../platform/adapter';
import { evaluateGuards, holdsInWords, type GuardHold } from '../../domain/rollouts/guards';
import { AppError } from '../../errors';
import { createAdapter } from '../platform/active-adapter';
import { guardInstances, type ServiceInstanceRow } from '../rollouts/guard-inputs';
import { latestTickSample } from '../telemetry/telemetry-sql';
import type { FaultCapabilities } from '../../domain/experiments/refusals';
import type { TargetCandidate } from '../../domain/experiments/selection';

/** The admin's global maximum share of a service, zone or cluster a run may hit (SystemSetting chaos.limits). */
export async function globalMaxBlastPct(db: DbOrTx): Promise<number> {
  const row = await db.systemSetting.findUnique({ where: { key: 'chaos.limits' } });
  const v = (row?.value as { maxBlastRadiusPct?: unknown } | null)?.maxBlastRadiusPct;
  return typeof v === 'number' && v >= 1 && v <= 100 ? v : 50;
}

/** The active adapter's kind and fault capabilities (the simulator's defaults when none is active); the preview, the start and the controller read this one. */
export async function activeFaultCapabilities(db: DbOrTx): Promise<FaultCapabilities & { adapter: string }> {
  const row = await db.adapterConfig.findFirst({ where: { active: true }, orderBy: { updatedAt: 'desc' } });
  const spec = row ? { id: row.id, name: row.name, kind: row.kind, config: row.config } : { id: null, name: 'simulator (defaults)', kind: 'sim', config: {} };
  let caps: PlatformCapabilities;
  try {
    // Building an adapter only parses its configuration; nothing connects.
    const adapter = createAdapter(spec);
    caps = adapter.capabilities();
    await adapter.close().catch(() => undefined);
  } catch (err) {
    throw new AppError('PRECONDITION_FAILED', `The active platform adapter "${spec.name}" cannot be used: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    kind: spec.kind,
    adapter: spec.kind === 'sim' ? 'the simulator' : `${spec.kind} ("${spec.name}")`,
    faults: caps.faults,
    faultExpiryInPlatform: caps.faultExpiryInPlatform,
    faultCohortHeaders: caps.faultCohortHeaders,
    // Optional fields stay absent when the platform does not declare them (absent = no limit).
    ...(caps.faultCohortKinds ? { faultCohortKinds: caps.faultCohortKinds } : {}),
    ...(caps.faultCohortReservedValues ? { faultCohortReservedValues: caps.faultCohortReservedValues } : {}),
    ...(caps.faultErrorStatuses ? { faultErrorStatuses: caps.faultErrorStatuses } : {}),
    ...(caps.faultLossWholeServiceOnly ? { faultLossWholeServiceOnly: true } : {}),
    ...(caps.faultWholePercentOnly ? { faultWholePercentOnly: true } : {}),
  };
}

/** Every instance of the fleet as a target candidate. */
export async function fleetCandidates(db: DbOrTx): Promise<TargetCandidate[]> {
  const rows = await db.instance.findMany({
    select: { id: true, name: true, appVersion: true, labels: true, adminState: true, service: { select: { name: true } }, cluster: { select: { name: true, zone: { select: { name: true, region: { select: { name: true } } } } } } },
  });
  return rows.map((i) => ({
    id: i.id,
    name: i.name,
    service: i.service.name,
    version: i.appVersion,
    region: i.cluster.zone.region.name,
    zone: i.cluster.zone.name,
    cluster: i.cluster.name,
    labels: Object.fromEntries(Object.entries((i.labels ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    adminState: i.adminState === 'maint' ? 'maintenance' : i.adminState,
  }));
}

/** Every instance in these zones (any service) with its sample of the latest tick. */
async function zoneInstancesNow(db: DbOrTx, zones: readonly string[]): Promise<ServiceInstanceRow[]> {
  if (zones.length === 0) return [];
  return db.$queryRaw<ServiceInstanceRow[]>`
    SELECT i.id::text AS id, i.name, z.name AS zone, i."appVersion",
           s.degradation AS level, s.breaker, s."stageFill", s."effectiveWeight"
      FROM "Instance" i
      JOIN "Cluster" c ON c.id = i."clusterId"
      JOIN "Zone" z ON z.id = c."zoneId"
      LEFT JOIN "TelemetrySample" s ON s."instanceId" = i.id AND ${latestTickSample('s')}
     WHERE z.name = ANY(${[...zones]}::text[])
     ORDER BY i.name`;
}

/** The topology guards that hold in the target zones now (L2+, open breaker, buffer ≥ 85 %); [] = go. */
export async function zoneGuardHolds(db: DbOrTx, zones: readonly string[]): Promise<GuardHold[]> {
  const z = [...new Set(zones)].sort();
  return evaluateGuards(z, guardInstances(await zoneInstancesNow(db, z)));
}

export const guardWords = (holds: readonly GuardHold[]) => holdsInWords(holds).replace(/^Held by a guard/, 'A topology guard holds');
