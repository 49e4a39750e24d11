import type pg from 'pg';
import { initialRuntime, type InstanceRuntime, type RestoredRuntime } from '../../domain/instance-step';
import type { InstanceTelemetry } from '../../domain/model';
import type { PlatformAdapter } from '../../platform/adapter';
import { fenced, FencedError } from '../../platform/fenced';
import { ADAPTER_STATUS_KEY } from '../../services/platform/adapter-status';
import { convergeService } from '../../services/topology/topology';
import { fleetFingerprint, loadFleet, loadLastSamples, loadPolicies, type FleetState, type LoadedPolicies } from './fleet';
import { Leadership, stillLeader } from './leader';
import { BinaryCopyWriter } from './copy-binary';
import { TickWriter, type TransitionRow } from './persist';
import { stepRange, type StepOutput } from './tick-sample';
import { aggregateVersionSamples, type VersionSampleRow } from './version-samples';
import { LeaderFaults } from './fault-sync';
import type { LoopDeps, LoopStats } from './loop-types';
import { measuredAdapter, observeTick, tickFailuresTotal, ticksSkippedTotal } from '../../metrics/worker-metrics';

export type { LoopDeps, LoopStats, TickTiming } from './loop-types';

interface OpenTick {
  client: pg.PoolClient;
  writer: TickWriter;
}

/** Instances stepped between two pieces of the samples' COPY (see TickWriter). */
const STEP_PIECE = 500;

/**
 * A runtime whose periodic weight recompute sits at a phase of its own (InstanceRuntime.
 * periodicPhase), taken from the instance id so that it is stable across leaders: the first 32
 * bits of a random UUID are uniform, which spreads a fleet's periodic recomputes evenly over the interval.
 */
export function freshRuntime(instanceId: string, now: number, restore?: RestoredRuntime): InstanceRuntime {
  const r = initialRuntime(now, restore);
  const head = Number.parseInt(instanceId.slice(0, 8), 16);
  if (Number.isFinite(head)) r.periodicPhase = head / 2 ** 32;
  return r;
}

/**
 * The telemetry loop: one leader per fleet (advisory lock), one tick per `tickMs` slot. Each
 * tick reads telemetry through the adapter, runs the domain for every instance, applies the
 * changed effective weights, and commits samples + transitions + NOTIFY in one transaction. A tick
 * that would start later than half an interval after its slot is skipped and counted instead, so
 * a slow adapter or database never makes ticks pile up.
 */
export class TelemetryLoop {
  readonly stats: LoopStats = { leader: false, ticks: 0, skipped: 0, lastTickMs: null, lastError: null };
  private readonly leadership: Leadership;
  private adapter: PlatformAdapter | null = null;
  private fleet: FleetState | null = null;
  private policies: LoadedPolicies | null = null;
  private fingerprint = '';
  private runtimes = new Map<string, InstanceRuntime>();
  private applied = new Map<string, number>();
  private adminApplied = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private generation = 0;
  private stopped = false;
  private commitSentAt = 0;
  private adapterKeyOpen = '';
  /** Last adapter status written to SystemSetting (null = not written by this leader yet). */
  private adapterReported: string | null = null;
  /** Fault convergence (fault-sync.ts): every tick, and at once on NOTIFY sb_faults. */
  private readonly faults: LeaderFaults;

  constructor(private readonly deps: LoopDeps) {
    this.faults = new LeaderFaults({
      url: deps.url,
      pool: deps.pool,
      log: deps.log,
      onWakeError: (err, deposed) => (deposed ? void this.failAdapter(err).catch(() => undefined) : this.fail(err)),
    });
    this.leadership = new Leadership({
      url: deps.url,
      pollMs: deps.electionPollMs ?? 1000,
      log: deps.log,
      onElected: () => void this.lead(),
      onLost: (reason) => void this.abdicate(reason),
    });
  }

  start(): void {
    this.leadership.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.faults.stop();
    await this.leadership.stop();
    await this.adapter?.close().catch(() => undefined);
    this.adapter = null;
  }

  /** Elections lost to another leader so far (tests wait on it instead of on a clock). */
  get electionsRefused(): number {
    return this.leadership.refused;
  }

  private async lead(): Promise<void> {
    const gen = ++this.generation;
    await this.faults.stop();
    try {
      this.adapterKeyOpen = (await this.deps.adapterKey?.(this.deps.pool)) ?? '';
      // Every platform write first checks that this worker still holds the lock (fencing).
      this.adapter = fenced(measuredAdapter(await this.deps.openAdapter()), () => this.stillLeading(gen));
      this.adapterReported = null;
      const last = await loadLastSamples(this.deps.pool);
      this.runtimes = new Map();
      this.applied = new Map();
      this.adminApplied = new Map();
      // An unreachable platform does not stop the leader: each tick retries and reports it.
      await this.reload(true).catch((err: unknown) => this.failAdapter(err).catch(() => undefined));
      if (!this.fleet) throw new Error('the fleet could not be loaded');
      const now = Date.now();
      for (const i of this.fleet.view.instances) {
        const r = last.get(i.id);
        this.runtimes.set(i.id, freshRuntime(i.id, now, r));
      }
      this.stats.leader = true;
      await this.faults.lead(this.adapter, async (c) => {
        const pid = this.leadership.pid;
        return gen === this.generation && pid !== null && stillLeader(c, pid, this.leadership.key);
      });
      this.deps.log(`[telemetry] leading ${this.fleet.view.instances.length} instances through the ${this.adapter.kind} adapter, a tick every ${this.deps.tickMs} ms`);
    } catch (err) {
      this.fail(err);
      await this.abdicate('could not start leading');
      return;
    }
    if (gen !== this.generation) return;
    const first = Math.ceil(Date.now() / this.deps.tickMs) * this.deps.tickMs;
    this.schedule(first, gen);
  }

  private async abdicate(reason: string): Promise<void> {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    if (this.stats.leader) this.deps.log(`[telemetry] no longer leader: ${reason}`);
    this.stats.leader = false;
    await this.faults.stop();
    const a = this.adapter;
    this.adapter = null;
    await a?.close().catch(() => undefined);
  }

  private schedule(slot: number, gen: number) {
    if (this.stopped || gen !== this.generation) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick(slot, gen).finally(() => (this.running = null));
      void this.running.then(() => {
        // Next slot; start late by at most half an interval, otherwise skip slots and count them.
        let next = slot + this.deps.tickMs;
        const late = Date.now() - next;
        if (late > this.deps.tickMs / 2) {
          const skip = Math.ceil((late - this.deps.tickMs / 2) / this.deps.tickMs);
          this.stats.skipped += skip;
          ticksSkippedTotal().inc(skip);
          next += skip * this.deps.tickMs;
        }
        this.schedule(next, gen);
      });
    }, Math.max(0, slot - Date.now()));
  }

  /** Re-reads the fleet and policies when they changed; converges service routing. */
  private async reload(force = false): Promise<boolean> {
    const fp = await fleetFingerprint(this.deps.pool);
    if (!force && fp === this.fingerprint) return false;
    const before = this.policies?.version;
    const fleet = await loadFleet(this.deps.pool);
    // A platform steers only the instances it can see (HAProxy: its mapped servers); the rest of
    // the registry belongs to other platforms and gets no invented samples.
    if (this.adapter!.scope) fleet.view = this.adapter!.scope(fleet.view);
    this.fleet = fleet;
    this.policies = await loadPolicies(this.deps.pool);
    await this.adapter!.setFleet(this.fleet.view);
    const now = Date.now();
    for (const i of this.fleet.view.instances) if (!this.runtimes.has(i.id)) this.runtimes.set(i.id, freshRuntime(i.id, now));
    const ids = new Set(this.fleet.view.instances.map((i) => i.id));
    for (const id of this.runtimes.keys()) if (!ids.has(id)) this.runtimes.delete(id);
    for (const s of this.fleet.view.services) {
      const v = this.fleet.serviceVersions.get(s.id)!;
      if (force || v.appliedVersion < v.version) {
        await this.adapter!.applyServiceRouting(s.id, s.routing);
        if (v.appliedVersion < v.version) await convergeService(this.deps.db, { serviceId: s.id, version: v.version });
      }
    }
    for (const i of this.fleet.view.instances) {
      if (this.adminApplied.get(i.id) === i.adminState) continue;
      await this.adapter!.setInstanceState(i.id, i.adminState);
      this.adminApplied.set(i.id, i.adminState);
    }
    // Only now: a reload that failed half-way (platform unreachable) is retried on the next tick.
    this.fingerprint = fp;
    return before !== undefined && before !== this.policies.version;
  }

  private async tick(slot: number, gen: number): Promise<void> {
    const started = Date.now();
    try {
      const r0 = performance.now();
      if (await this.adapterChanged()) return;
      const reloaded = await this.reload().then((changed) => ({ changed }), (err: unknown) => ({ err }));
      const r1 = performance.now();
      const adapter = this.adapter!;
      // Faults even when the reload failed (a routing the platform refuses must not keep a lapsed
      // fault in place): each sync moves the in-platform expiry forward only for renewed leases.
      // A failed sync is reported (adapter status) but does not cost the tick its telemetry.
      const faultProblem = await this.faults.sync().then(
        () => null,
        (err: unknown) => (err instanceof FencedError ? this.failAdapter(err) : `fault sync: ${err instanceof Error ? err.message : String(err)}`),
      );
      const policyChanged = 'err' in reloaded ? await this.failAdapter(reloaded.err) : reloaded.changed;
      const r2 = performance.now();
      await this.deps.beforeTick?.(adapter, this.deps.pool);
      const t0 = performance.now();
      const telemetry = await adapter.readTelemetry(new Date(slot)).catch((err: unknown) => this.failAdapter(err));
      await this.reportAdapter(faultProblem);
      const t1 = performance.now();
      if (gen !== this.generation) return;
      const byId = new Map<string, InstanceTelemetry>();
      for (const t of telemetry) byId.set(t.instanceId, t);
      // The transaction opens before the step, so each piece of samples streams to PostgreSQL while
      // the next is computed. Fenced out (null): the step and the platform writes run as before
      // (the fenced adapter refuses them and the worker steps down), and nothing is committed.
      const tx = await this.openTick(slot, gen);
      const t1b = performance.now();
      let failure: Error | undefined;
      try {
        const { view } = this.fleet!;
        const out: StepOutput = { transitions: [], weights: [] };
        const state = { runtimes: this.runtimes, applied: this.applied };
        const tickId = tx?.writer.tickId ?? 0n;
        for (let k = 0; k < view.instances.length; k += STEP_PIECE) {
          const to = Math.min(view.instances.length, k + STEP_PIECE);
          // ~330 bytes a sample with five-stage arrays: one allocation for a whole piece, usually.
          const piece = new BinaryCopyWriter((to - k) * 400, false);
          stepRange(view, k, to, byId, this.policies!, slot, policyChanged, state, out, piece, tickId);
          await tx?.writer.writeTuples(piece.tuples());
        }
        // The canary analysis's evidence: per service × version × zone, in the tick's transaction.
        const versions = aggregateVersionSamples(view.instances, byId);
        const t2 = performance.now();
        if (out.weights.length > 0) {
          await adapter.applyWeights(out.weights).catch((err: unknown) => this.failAdapter(err));
          for (const w of out.weights) this.applied.set(w.instanceId, w.weight);
        }
        const t3 = performance.now();
        const committed = tx && (await this.commit(tx, slot, started, view.instances.length, out.transitions, versions, gen));
        const t4 = performance.now();
        if (!committed) return;
        this.stats.ticks++;
        this.stats.lastTickMs = Date.now() - started;
        observeTick(this.stats.lastTickMs);
        this.deps.onTick?.({
          slot, tickId: committed, committedAt: this.commitSentAt, instances: view.instances.length, reloadMs: r1 - r0, faultsMs: r2 - r1, beforeTickMs: t0 - r2,
          readMs: t1 - t0, computeMs: t2 - t1b, applyMs: t3 - t2, persistMs: t1b - t1 + (t4 - t3), openMs: t1b - t1, totalMs: Date.now() - started,
        });
        this.stats.lastError = null;
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        throw err;
      } finally {
        // After a failure the connection may be mid-COPY: closing it is what rolls the tick back.
        tx?.client.release(failure);
      }
    } catch (err) {
      tickFailuresTotal().inc();
      this.fail(err);
    }
  }

  /** Opens the tick's transaction and its samples' COPY, after the fencing check; null when fenced out. */
  private async openTick(slot: number, gen: number): Promise<OpenTick | null> {
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      if (!(await this.fenceHolds(client, gen))) {
        await client.query('ROLLBACK');
        client.release();
        return null;
      }
      // Telemetry only, so no waiting for the WAL flush at COMMIT: this transaction writes the Tick,
      // its samples, transitions and version samples and a NOTIFY, nothing safety-critical (leases,
      // injections, halts and rollout decisions are written by their own commands, synchronously).
      // A crash can lose at most the last few ticks (wal_writer_delay × 3), never a torn one, and
      // the next leader starts from the last sample it finds. A decision another transaction takes
      // from this tick is no risk either: its synchronous COMMIT flushes the WAL up to its own
      // record, which lies after this one, so a durable decision implies a durable tick.
      await client.query('SET LOCAL synchronous_commit = off');
      return { client, writer: await TickWriter.open(client, new Date(slot)) };
    } catch (err) {
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  /** Fencing: a leader that lost its lock (and may have a successor) must not commit. */
  private async fenceHolds(client: pg.ClientBase, gen: number): Promise<boolean> {
    const pid = this.leadership.pid;
    return gen === this.generation && pid !== null && (await stillLeader(client, pid, this.leadership.key));
  }

  private async commit(tx: OpenTick, slot: number, started: number, instances: number, transitions: TransitionRow[], versions: VersionSampleRow[], gen: number): Promise<bigint | null> {
    const id = await tx.writer.finish({ at: new Date(slot), startedAt: new Date(started), instances, skippedSoFar: this.stats.skipped, leader: this.deps.workerId }, transitions, versions);
    // Checked again before COMMIT: the lock may have passed while the tick was stepped and streamed.
    if (!(await this.fenceHolds(tx.client, gen))) {
      await tx.client.query('ROLLBACK');
      return null;
    }
    this.commitSentAt = Date.now();
    await tx.client.query('COMMIT');
    return id;
  }

  /** The active adapter configuration changed: close ours and lead again with the new one. */
  private async adapterChanged(): Promise<boolean> {
    if (!this.deps.adapterKey) return false;
    const key = await this.deps.adapterKey(this.deps.pool);
    if (key === this.adapterKeyOpen) return false;
    this.deps.log(`[telemetry] the active platform adapter changed; reopening`);
    const gen = this.generation;
    const a = this.adapter;
    this.adapter = null;
    await this.faults.stop();
    await a?.close().catch(() => undefined);
    if (gen !== this.generation) return true;
    this.generation++;
    this.fingerprint = '';
    void this.lead();
    return true;
  }

  /** Whether this leadership term (`gen`) still holds the lock, asked of PostgreSQL itself. */
  private async stillLeading(gen: number): Promise<boolean> {
    const pid = this.leadership.pid;
    if (gen !== this.generation || pid === null) return false;
    return stillLeader(this.deps.pool, pid, this.leadership.key);
  }

  /** Records the platform as unreachable (health, UI banner) and fails the tick. */
  private async failAdapter(err: unknown): Promise<never> {
    if (err instanceof FencedError) {
      // Not the platform's fault: this worker was deposed without noticing. Step down.
      this.deps.log(`[telemetry] deposed: ${err.message}; stepping down`);
      this.leadership.resign('a platform write found the leadership lock gone');
      throw err;
    }
    const msg = err instanceof Error ? err.message : String(err);
    await this.reportAdapter(msg).catch(() => undefined);
    throw err instanceof Error ? err : new Error(msg);
  }

  /** Writes the adapter's status when it changes: null = reachable, else the error in words. */
  private async reportAdapter(problem: string | null): Promise<void> {
    const key = problem ?? 'ok';
    if (key === this.adapterReported) return;
    const value = { ok: problem === null, kind: this.adapter?.kind ?? null, error: problem, since: new Date().toISOString() };
    await this.deps.pool.query(
      `INSERT INTO "SystemSetting" (key, value, "updatedAt") VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = "SystemSetting".version + 1, "updatedAt" = now()`,
      [ADAPTER_STATUS_KEY, JSON.stringify(value)],
    );
    this.adapterReported = key;
    if (problem !== null) this.deps.log(`[telemetry] platform adapter unreachable: ${problem}`);
    else this.deps.log(`[telemetry] platform adapter reachable (${value.kind})`);
  }

  private fail(err: unknown) {
    const msg = err instanceof Error ? err.message : String(err);
    if (msg !== this.stats.lastError) this.deps.log(`[telemetry] tick failed: ${msg}`);
    this.stats.lastError = msg;
  }
}
