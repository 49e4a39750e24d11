// The HAProxy adapter: applies weights, version splits, header rules, instance states and
// faults through the Runtime API (no reload), reads telemetry from `show stat` (and, when
// configured, a Prometheus source that measures what HAProxy cannot), and re-applies its
// desired state when it sees HAProxy restarted or reloaded. Faults: what Switchback last sent is
// the whole truth (no registry file is read back), so an adapter opened after a restart removes
// whatever the maps still hold at its first syncFaults.
import { writeFile, rename } from 'node:fs/promises';
import type { AdminState, InstanceTelemetry, ServiceRouting } from '../../domain/model';
import { CapabilityError, type FaultInjection, type FaultSyncResult, type FleetInstance, type FleetView, type PlatformAdapter, type PlatformCapabilities, type PlatformTopology } from '../adapter';
import { FAULT_COHORT_HEADER, faultMaps, type HaproxyConfig } from './config';
import { admitFaults, FAULT_RULE_LIMITS, faultMapContent, faultProblem, mapSignature, missingFaultMaps } from './fault-maps';
import { RuntimeClient, type Logger } from './runtime-client';
import { headerMapEntries } from './header-map';
import { parseStat, serving, type StatRow } from './stat';
import { serverWeights } from './weights';

export interface MetricsSource {
  read(at: Date, instances: ReadonlyArray<{ id: string; name: string }>): Promise<Map<string, Partial<InstanceTelemetry>>>;
}

export interface HaproxyAdapterOptions {
  logger?: Logger;
  metrics?: MetricsSource;
}

type Mapping = HaproxyConfig['instances'][number];

const STATE: Record<AdminState, string> = { ready: 'ready', drain: 'drain', maintenance: 'maint' };

export class HaproxyAdapter implements PlatformAdapter {
  readonly kind = 'haproxy';
  readonly clients: RuntimeClient[];
  private byId = new Map<string, { inst: FleetInstance; map: Mapping }>();
  private weights = new Map<string, number>();
  private routing = new Map<string, ServiceRouting>();
  private states = new Map<string, AdminState>();
  private faults = new Map<string, FaultInjection>();
  private identities = new Map<string, string>();
  private last = new Map<string, { at: number; stot: number; err: number }>();
  /** Per socket, the content of each fault map last committed there (a map unchanged is not re-sent). */
  private mapsSent = new Map<string, Map<string, string>>();
  /** Map files last written (what a reload loads). */
  private filesWritten = new Map<string, string>();
  /** Server state last sent per instance (drain / kill faults act through it). */
  private statesSent = new Map<string, AdminState>();
  /** When every map and state was last sent whatever the cache says (an edit by hand is undone then). */
  private fullPushAt = 0;
  /**
   * Fault pushes one at a time: a re-apply after a reload (from readTelemetry) and a sync woken by
   * NOTIFY could otherwise interleave their map replaces and leave an older content last.
   */
  private faultLock: Promise<unknown> = Promise.resolve();
  /** Fault maps the running configuration does not load (null = not asked yet; asked at setFleet and sync). */
  private missingMaps: string[] | null = null;

  constructor(
    readonly config: HaproxyConfig,
    private readonly opts: HaproxyAdapterOptions = {},
  ) {
    this.clients = config.sockets.map((s) => new RuntimeClient(s.address, config.timeoutMs, opts.logger));
  }

  capabilities(): PlatformCapabilities {
    return {
      measures: ['connections', 'rps', 'errors', 'p95', ...(this.opts.metrics ? (['cpu', 'p50', 'p99'] as const) : [])],
      approximations: this.opts.metrics
        ? { p95: 'from Prometheus when the instance exports a latency histogram; otherwise HAProxy rtime (the mean of the last 1,024 requests, not a percentile)' }
        : { p95: 'HAProxy rtime: the mean response time of the last 1,024 requests, not a percentile (add a Prometheus source for a real P95)' },
      faults: ['http-error', 'delay', 'loss', 'drain', 'kill'],
      // Drain and kill act through the server state, which HAProxy keeps until told otherwise.
      faultExpiryInPlatform: ['http-error', 'delay', 'loss'],
      // The generated rules (generate.ts faultRules) compare this header with the cohort map —
      // none when the running configuration does not load that map (an older generated config).
      faultCohortHeaders: this.missingMaps?.includes(faultMaps(this.config.mapDir).cohort) ? [] : [FAULT_COHORT_HEADER],
      ...FAULT_RULE_LIMITS,
      weights: true,
      routing: true,
      // Prefix and regex rules need every service's header map looked up with map_reg (config.ts).
      headerMatches: this.config.services.length > 0 && this.config.services.every((s) => s.headerMapLookup === 'map_reg') ? ['exact', 'prefix', 'regex'] : ['exact'],
      routingHeaders: ['X-Abtest-Group'],
      // A Prometheus source reads the instances' own histograms; rtime alone is a mean, never a histogram.
      latencyHistogram: this.opts.metrics !== undefined,
      adminState: true,
      discovery: true,
    };
  }

  scope(fleet: FleetView): FleetView {
    const mapped = new Set(this.config.instances.map((i) => i.instance));
    const instances = fleet.instances.filter((i) => mapped.has(i.name));
    const services = new Set(instances.map((i) => i.serviceId));
    return { instances, services: fleet.services.filter((s) => services.has(s.id)) };
  }

  async setFleet(fleet: FleetView): Promise<void> {
    await this.checkFaultMaps();
    const maps = new Map(this.config.instances.map((m) => [m.instance, m]));
    this.byId = new Map();
    for (const inst of fleet.instances) {
      const map = maps.get(inst.name);
      if (map) this.byId.set(inst.id, { inst, map });
    }
  }

  /** Asks the running HAProxy once which fault maps it loads (retried while it cannot be asked). */
  private async checkFaultMaps(): Promise<void> {
    if (this.missingMaps !== null || !this.clients[0]) return;
    this.missingMaps = await missingFaultMaps(this.config, (cmd) => this.clients[0]!.send(cmd)).catch(() => null);
    if (this.missingMaps?.length) this.opts.logger?.debug(`haproxy does not load the fault maps ${this.missingMaps.join(', ')}`);
  }

  async describe(): Promise<PlatformTopology> {
    const rows = await this.stat();
    const instances: PlatformTopology['instances'] = [];
    for (const m of this.config.instances) {
      const svc = this.service(m.service);
      const row = rows.find((r) => r.pxname === svc.backend && r.svname === m.server);
      if (!row) continue;
      instances.push({ name: m.instance, service: m.service, version: m.version, address: row.address || m.address, up: serving(row.status), region: m.region, zone: m.zone, cluster: m.cluster });
    }
    return { instances };
  }

  async readTelemetry(at: Date): Promise<InstanceTelemetry[]> {
    const rows = await this.stat();
    const metrics = this.opts.metrics
      ? await this.opts.metrics.read(at, [...this.byId.entries()].map(([id, x]) => ({ id, name: x.inst.name }))).catch((err: unknown) => {
          this.opts.logger?.debug(`metrics source failed: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        })
      : undefined;
    const out: InstanceTelemetry[] = [];
    const now = at.getTime();
    for (const [id, { map }] of this.byId) {
      const svc = this.service(map.service);
      const mine = rows.filter((r) => r.svname === map.server && (r.pxname === svc.backend || r.pxname === svc.versionBackends[map.version]));
      const primary = mine.filter((r) => r.pxname === svc.backend);
      if (primary.length === 0) {
        out.push({ instanceId: id, up: false });
        continue;
      }
      const sum = (f: (r: StatRow) => number) => mine.reduce((a, r) => a + f(r), 0);
      const stot = sum((r) => r.stot);
      const err = sum((r) => r.hrsp5xx);
      const prev = this.last.get(id);
      this.last.set(id, { at: now, stot, err });
      const dt = prev ? (now - prev.at) / 1000 : 0;
      const requests = prev && stot >= prev.stot ? stot - prev.stot : undefined;
      const weighted = mine.filter((r) => r.rtime > 0);
      const rt = weighted.length ? weighted.reduce((a, r) => a + r.rtime, 0) / weighted.length : undefined;
      const t: InstanceTelemetry = {
        instanceId: id,
        up: primary.some((r) => serving(r.status)),
        connections: sum((r) => r.scur),
        activeRequests: sum((r) => r.scur),
        rps: requests !== undefined && dt > 0 ? requests / dt : sum((r) => r.rate),
        ...(requests !== undefined ? { requests, errors: prev && err >= prev.err ? err - prev.err : 0 } : {}),
        ...(rt !== undefined ? { rtMs: rt, p95Ms: rt } : {}),
      };
      const m = metrics === undefined ? undefined : metrics === null ? null : metrics.get(id);
      if (m === null) t.stale = ['cpu', 'p50', 'p99'];
      else if (m) Object.assign(t, m, { instanceId: id, up: t.up });
      out.push(t);
    }
    return out;
  }

  async applyWeights(weights: ReadonlyArray<{ instanceId: string; weight: number }>): Promise<void> {
    for (const w of weights) this.weights.set(w.instanceId, w.weight);
    const services = new Set(weights.map((w) => this.byId.get(w.instanceId)?.map.service).filter((s): s is string => !!s));
    await this.sendAll([...services].flatMap((s) => this.weightCommands(s)));
  }

  async applyServiceRouting(serviceId: string, routing: ServiceRouting): Promise<void> {
    const name = [...this.byId.values()].find((x) => x.inst.serviceId === serviceId)?.map.service;
    if (!name) return;
    // Refused before anything changes: a rule HAProxy cannot hold is an error, never dropped (the
    // routing would be reported applied without it).
    headerMapEntries(this.service(name), routing.headerRules);
    this.routing.set(name, routing);
    await this.sendAll(this.weightCommands(name));
    await this.pushHeaderMap(name);
  }

  async setInstanceState(instanceId: string, state: AdminState): Promise<void> {
    this.states.set(instanceId, state);
    const x = this.byId.get(instanceId);
    if (!x) return;
    const effective = this.effectiveState(instanceId);
    this.statesSent.delete(instanceId);
    await this.sendAll(this.stateCommands(instanceId, effective));
    this.statesSent.set(instanceId, effective);
  }

  async injectFault(fault: FaultInjection): Promise<void> {
    const problem = faultProblem(this.config, this.byId, fault);
    const cannot = /^the haproxy adapter cannot (.*)$/.exec(problem ?? '');
    if (cannot) throw new CapabilityError('haproxy', cannot[1]!);
    if (problem) throw new Error(problem);
    const clash = admitFaults(this.config, this.byId, [...[...this.faults.values()].filter((f) => f.id !== fault.id), fault]).failed.find((f) => f.id === fault.id);
    if (clash) throw new CapabilityError('haproxy', clash.error.replace(/^the haproxy adapter cannot /, ''));
    this.faults.set(fault.id, fault);
    await this.pushFaults();
  }

  /**
   * The maps become exactly `desired` (each fault's expiry moved to its expiresAt); every fault not
   * in it — also one this adapter never sent (an orphan of an earlier process) — is gone. Only the
   * maps whose content changed are sent, so a steady set costs one map (the expiry) per tick.
   */
  async syncFaults(desired: readonly FaultInjection[]): Promise<FaultSyncResult> {
    await this.checkFaultMaps();
    const { admitted, failed } = admitFaults(this.config, this.byId, desired, this.missingMaps ?? []);
    this.faults = new Map(admitted.map((f) => [f.id, f]));
    await this.pushFaults();
    return { failed };
  }

  async removeFault(faultId: string): Promise<void> {
    if (!this.faults.delete(faultId)) return;
    await this.pushFaults();
  }

  /** What this adapter last sent (HAProxy keeps no ids); syncFaults is what converges the maps. */
  listFaults(): Promise<FaultInjection[]> {
    return Promise.resolve([...this.faults.values()]);
  }

  /** Removes faults past their expiry (HAProxy already ignores them; this cleans the maps). */
  async reapExpired(now = new Date()): Promise<string[]> {
    const gone = [...this.faults.values()].filter((f) => f.expiresAt <= now).map((f) => f.id);
    for (const id of gone) this.faults.delete(id);
    if (gone.length) await this.pushFaults();
    return gone;
  }

  async close(): Promise<void> {
    // Nothing held open: every Runtime API call is its own short connection.
  }

  // ── internals ────────────────────────────────────────────────────────────

  private service(name: string) {
    const s = this.config.services.find((x) => x.service === name);
    if (!s) throw new Error(`service ${name} is not in the HAProxy adapter configuration`);
    return s;
  }

  /** Reads `show stat` from every socket; a changed process identity means a reload: re-apply. */
  private async stat(): Promise<StatRow[]> {
    const all: StatRow[] = [];
    for (const c of this.clients) {
      const info = await c.send('show info');
      const id = /^Pid: (\d+)$/m.exec(info)?.[1] ?? '';
      const start = /^Start_time_sec: (\d+)$/m.exec(info)?.[1] ?? /^Uptime_sec: (\d+)$/m.exec(info)?.[1] ?? '';
      const identity = `${id}@${start}`;
      const before = this.identities.get(c.address);
      this.identities.set(c.address, identity);
      if (before !== undefined && before !== identity) {
        this.opts.logger?.debug(`haproxy ${c.address} restarted or reloaded (${before} → ${identity}): re-applying`);
        await this.reapply(c);
      }
      all.push(...parseStat(await c.send('show stat')));
    }
    return all;
  }

  private async reapply(c: RuntimeClient) {
    this.last.clear();
    this.mapsSent.delete(c.address);
    const cmds = [...new Set([...this.byId.values()].map((x) => x.map.service))].flatMap((s) => this.weightCommands(s));
    for (const id of this.byId.keys()) cmds.push(...this.stateCommands(id, this.effectiveState(id)));
    await c.run(cmds);
    for (const s of this.routing.keys()) await c.replaceMap(this.service(s).headerMap, this.headerEntries(s));
    await this.exclusive(() => this.pushFaultMaps(c, true));
  }

  private async sendAll(cmds: string[]) {
    if (cmds.length === 0) return;
    await Promise.all(this.clients.map((c) => c.run(cmds)));
  }

  private weightCommands(serviceName: string): string[] {
    const svc = this.service(serviceName);
    const members = [...this.byId.entries()].filter(([, x]) => x.map.service === serviceName).map(([id, x]) => ({ id, server: x.map.server, version: x.map.version, weight: this.weights.get(id) ?? 100 }));
    const routing = this.routing.get(serviceName) ?? { versionWeights: {}, headerRules: [] };
    const w = serverWeights(members, routing.versionWeights);
    const cmds: string[] = [];
    for (const m of members) {
      cmds.push(`set server ${svc.backend}/${m.server} weight ${w.service.get(m.id) ?? 0}`);
      const vb = svc.versionBackends[m.version];
      if (vb) cmds.push(`set server ${vb}/${m.server} weight ${w.version.get(m.id) ?? 0}`);
    }
    return cmds;
  }

  private effectiveState(id: string): AdminState {
    const f = [...this.faults.values()].filter((x) => x.instanceId === id && x.expiresAt > new Date());
    if (f.some((x) => x.spec.kind === 'kill')) return 'maintenance';
    if (f.some((x) => x.spec.kind === 'drain')) return 'drain';
    return this.states.get(id) ?? 'ready';
  }

  private stateCommands(id: string, state: AdminState): string[] {
    const x = this.byId.get(id);
    if (!x) return [];
    const svc = this.service(x.map.service);
    const backends = [svc.backend, svc.versionBackends[x.map.version]].filter((b): b is string => !!b);
    return backends.map((b) => `set server ${b}/${x.map.server} state ${STATE[state]}`);
  }

  private headerEntries(serviceName: string): Array<[string, string]> {
    return headerMapEntries(this.service(serviceName), this.routing.get(serviceName)?.headerRules ?? []);
  }

  private async pushHeaderMap(serviceName: string) {
    const svc = this.service(serviceName);
    const entries = this.headerEntries(serviceName);
    await Promise.all(this.clients.map((c) => c.replaceMap(svc.headerMap, entries)));
    await this.writeMapFile(svc.headerMap, entries);
  }

  /**
   * Sends the fault maps that changed (all of them on the first push, after a restart, and every
   * 30 s so an entry added by hand does not stay), writes their files, and the server states of
   * drain / kill faults that changed.
   */
  private pushFaults(): Promise<void> {
    return this.exclusive(() => this.pushFaultsNow());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.faultLock.then(fn, fn);
    this.faultLock = run.catch(() => undefined);
    return run;
  }

  private async pushFaultsNow() {
    const full = Date.now() - this.fullPushAt >= FULL_PUSH_MS;
    for (const c of this.clients) await this.pushFaultMaps(c, full);
    for (const [file, entries] of faultMapContent(this.config, this.byId, this.faults.values(), new Date())) {
      const sig = mapSignature(entries);
      if (!full && this.filesWritten.get(file) === sig) continue;
      await this.writeMapFile(file, entries);
      this.filesWritten.set(file, sig);
    }
    const changed = [...this.byId.keys()].map((id) => [id, this.effectiveState(id)] as const).filter(([id, st]) => full || this.statesSent.get(id) !== st);
    await this.sendAll(changed.flatMap(([id, st]) => this.stateCommands(id, st)));
    for (const [id, st] of changed) this.statesSent.set(id, st);
    if (full) this.fullPushAt = Date.now();
  }

  private async pushFaultMaps(c: RuntimeClient, full: boolean) {
    const sent = this.mapsSent.get(c.address) ?? new Map<string, string>();
    this.mapsSent.set(c.address, sent);
    for (const [file, entries] of faultMapContent(this.config, this.byId, this.faults.values(), new Date())) {
      const sig = mapSignature(entries);
      if ((!full && sent.get(file) === sig) || this.missingMaps?.includes(file)) continue;
      // Forgotten first: a push that fails half-way is sent again next time.
      sent.delete(file);
      await c.replaceMap(file, entries);
      sent.set(file, sig);
    }
  }

  /** Map files are what HAProxy loads on a reload: keep them equal to what runs. */
  private async writeMapFile(file: string, entries: ReadonlyArray<readonly [string, string]>) {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, entries.map(([k, v]) => `${k} ${v}\n`).join(''))
      .then(() => rename(tmp, file))
      .catch((err: unknown) => this.opts.logger?.debug(`could not write ${file}: ${String(err)}`));
  }
}

/** Every map and server state is re-sent this often even when the cache says it is unchanged. */
const FULL_PUSH_MS = 30_000;
