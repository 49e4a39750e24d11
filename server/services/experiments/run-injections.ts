// A run's Injection rows: the desired faults the telemetry leader converges the platform to. The
// controller writes them (one per target; a backend-level fault — HAProxy packet loss — once per
// service), renews their leases every look (a dead controller's faults lapse within the lease),
// and asks for their removal (desired = false with the reason). Every change NOTIFYs the leader.
import type { Tx } from '../../db/client';
import type { ExperimentRunTarget, Injection, InjectionRemoveReason } from '../../db/generated/client';
import type { ExperimentSpec } from '../../domain/experiments/spec';
import { notifyFaults, toJson } from './run-state';

/** A hard expiry's margin past the run's duration and lease: the platform drops the fault then, whatever happens. */
export const HARD_EXPIRY_MARGIN_MS = 60_000;

/** Fault kinds HAProxy applies to a whole backend (its service), not to one server. */
const BACKEND_LEVEL: Record<string, readonly string[]> = { haproxy: ['loss'] };

export interface InjectionContext {
  runId: string;
  spec: ExperimentSpec;
  adapterKind: string;
  owner: string;
  now: Date;
  leaseMs: number;
}

export async function writeInjections(tx: Tx, targets: readonly ExperimentRunTarget[], c: InjectionContext): Promise<number> {
  const lease = new Date(c.now.getTime() + c.leaseMs);
  const expiresAt = new Date(c.now.getTime() + c.spec.durationS * 1000 + c.leaseMs + HARD_EXPIRY_MARGIN_MS);
  const backendLevel = BACKEND_LEVEL[c.adapterKind]?.includes(c.spec.fault.kind) ?? false;
  const rows: Array<{ targetId: string; instanceId: string; backend: string | null }> = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (!backendLevel) rows.push({ targetId: t.id, instanceId: t.instanceId, backend: null });
    else if (!seen.has(t.serviceName)) {
      seen.add(t.serviceName);
      rows.push({ targetId: t.id, instanceId: t.instanceId, backend: t.serviceName });
    }
  }
  await tx.injection.createMany({
    data: rows.map((r) => ({
      runId: c.runId,
      ...r,
      spec: toJson(c.spec.fault),
      cohort: c.spec.cohort ? toJson(c.spec.cohort) : undefined,
      adapterKind: c.adapterKind,
      leaseOwner: c.owner,
      leaseExpiresAt: lease,
      expiresAt,
      createdAt: c.now,
    })),
  });
  await notifyFaults(tx);
  return rows.length;
}

/** Pushes the lease of the run's wanted faults forward; the leader pushes it into the platform's expiry. */
export async function renewLeases(tx: Tx, runId: string, owner: string, now: Date, leaseMs: number): Promise<number> {
  return tx.$executeRaw`
    UPDATE "Injection" SET "leaseExpiresAt" = LEAST(${new Date(now.getTime() + leaseMs)}, "expiresAt"), "leaseOwner" = ${owner}
     WHERE "runId" = ${runId}::uuid AND desired AND "removedAt" IS NULL AND "leaseExpiresAt" > ${now}`;
}

/** Asks the leader to take every fault of the run out; a reason already written (lapsed, halted) is kept. */
export async function requestRemoval(tx: Tx, runId: string, reason: InjectionRemoveReason): Promise<number> {
  const n = await tx.$executeRaw`
    UPDATE "Injection" SET desired = false, "removeReason" = COALESCE("removeReason", ${reason}::"InjectionRemoveReason")
     WHERE "runId" = ${runId}::uuid AND "removedAt" IS NULL AND (desired OR "removeReason" IS NULL)`;
  await notifyFaults(tx);
  return n;
}

/** The injections that cover a target: its own row, or its service's backend-level row. */
export function injectionOf(t: Pick<ExperimentRunTarget, 'id' | 'serviceName'>, rows: readonly Injection[]): Injection | undefined {
  return rows.find((r) => r.targetId === t.id && r.backend === null) ?? rows.find((r) => r.backend !== null && r.backend === t.serviceName);
}

const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

function faultWords(row: Injection): string {
  const s = row.spec as { kind?: string; delayMs?: number; jitterMs?: number; pct?: number; status?: number };
  switch (s.kind) {
    case 'delay':
      return `a ${s.delayMs} ms delay (±${s.jitterMs} ms)`;
    case 'loss':
      return `${s.pct} % packet loss`;
    case 'http-error':
      return `HTTP ${s.status} on ${s.pct} % of requests`;
    default:
      return `a ${s.kind ?? 'fault'} fault`;
  }
}

/** What a person does about a fault the platform did not confirm removed, in words. */
export function couldNotRecoverWords(row: Injection, instanceName: string): string {
  const where = row.backend ? `backend ${row.backend}` : instanceName;
  const expires = row.platformExpiresAt ?? row.expiresAt;
  const expiry = `the fault expires by itself at ${utc(expires)}`;
  const why = row.lastError ? ` (last error: ${row.lastError})` : '';
  if (row.adapterKind === 'haproxy') {
    return `HAProxy still carries ${faultWords(row)} on ${where}${why}: remove its entry from Switchback's fault map with the runtime API (del map) or restart HAProxy; ${expiry}.`;
  }
  if (row.adapterKind === 'sim') return `The simulator still carries ${faultWords(row)} on ${where}${why}: restart the worker that runs the telemetry loop; ${expiry}.`;
  return `The ${row.adapterKind} platform still carries ${faultWords(row)} on ${where}${why}: remove it by hand; ${expiry}.`;
}
