import type pg from 'pg';
import type { Db } from '../../db/client';
import type { PlatformAdapter } from '../../platform/adapter';

// The telemetry loop's dependencies and what it reports (loop.ts).
export interface LoopDeps {
  url: string;
  pool: pg.Pool;
  db: Db;
  tickMs: number;
  /** Builds the active adapter (read from AdapterConfig) when this worker becomes leader. */
  openAdapter: () => Promise<PlatformAdapter>;
  /**
   * Identifies the active adapter configuration (id + version); when it changes the leader closes
   * its adapter and opens the new one. Absent = the adapter never changes.
   */
  adapterKey?: (q: pg.Pool) => Promise<string>;
  /** Called before each tick with the adapter (the simulator reads its control settings here). */
  beforeTick?: (adapter: PlatformAdapter, q: pg.Pool) => Promise<void>;
  log: (line: string) => void;
  workerId: string;
  electionPollMs?: number;
  /** Phase timings of each committed tick (benchmarks, diagnostics). computeMs includes handing the samples to the socket. */
  onTick?: (t: TickTiming) => void;
}

export interface TickTiming {
  slot: number;
  tickId: bigint;
  /** Date.now() just before COMMIT was sent (its NOTIFY can reach listeners before COMMIT returns). */
  committedAt: number;
  instances: number;
  /** Adapter-configuration check and fleet reload (fingerprint; the full reload when it changed). */
  reloadMs: number;
  /** Fault convergence (fault-sync.ts). */
  faultsMs: number;
  /** The `beforeTick` hook (the simulator's control settings). */
  beforeTickMs: number;
  readMs: number;
  computeMs: number;
  applyMs: number;
  /** Database time not overlapped with the step: opening the transaction and COPY, then finishing and COMMIT. */
  persistMs: number;
  /** The opening part of persistMs (BEGIN, fencing check, tick id, COPY). */
  openMs: number;
  totalMs: number;
}

export interface LoopStats {
  leader: boolean;
  ticks: number;
  skipped: number;
  lastTickMs: number | null;
  lastError: string | null;
}
