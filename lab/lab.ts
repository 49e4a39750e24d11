// The lab: a real platform on loopback to point Switchback at — HAProxy with a generated
// configuration, a small fleet of Node backends (two versions of checkout), Prometheus scraping
// them, and a bounded load generator. Everything it starts, it stops (by PID).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HaproxyConfigInput } from '../server/platform/haproxy/config';
import { generateHaproxyLab, type LabSpec } from '../server/platform/haproxy/generate';
import { launchHaproxy, stopProcess } from '../server/platform/haproxy/process';
import { freePort } from '../server/platform/haproxy/testing/harness';
import type { PrometheusConfigInput } from '../server/platform/prometheus/config';
import { startLoad, type LoadHandle } from './loadgen';
import { startPrometheus } from './prometheus';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** service → version → number of instances. */
export const LAB_FLEET: Record<string, Record<string, number>> = { checkout: { v1: 3, v2: 1 }, catalog: { v1: 2 } };

export interface LabOptions {
  dir: string;
  fleet?: Record<string, Record<string, number>>;
  /** false: no load; otherwise requests per second per service and for how long. */
  load?: false | { rps: number; durationS: number };
  log?: (line: string) => void;
}

export interface Lab {
  dir: string;
  adapterConfig: HaproxyConfigInput & { metrics: PrometheusConfigInput };
  frontends: Record<string, string>;
  prometheusUrl: string;
  instances: Array<{ name: string; service: string; version: string; address: string }>;
  setKnobs(instance: string, knobs: { latencyMs?: number; jitterMs?: number; errorPct?: number }): Promise<void>;
  /** PIDs of every process the lab started (tests check they are gone after stop). */
  pids(): number[];
  /** Stops Prometheus alone (to see Switchback cope with a metrics source that is down). */
  stopPrometheus(): Promise<void>;
  stop(): Promise<void>;
}

function startBackendProcess(name: string, version: string, port: number): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'lab/backend.ts'), name, version, String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve(p));
    p.once('exit', (code) => reject(new Error(`backend ${name} exited (${code}): ${err.trim()}`)));
  });
}

export async function startLab(o: LabOptions): Promise<Lab> {
  const log = o.log ?? (() => undefined);
  const fleet = o.fleet ?? LAB_FLEET;
  await mkdir(o.dir, { recursive: true });
  const children: ChildProcess[] = [];
  let load: LoadHandle | null = null;
  const stop = async () => {
    await load?.stop();
    for (const c of children.reverse()) await stopProcess(c);
  };
  try {
    const spec: LabSpec = { dir: o.dir, services: [] };
    const instances: Lab['instances'] = [];
    const frontends: Record<string, string> = {};
    for (const [svc, versions] of Object.entries(fleet)) {
      const bindPort = await freePort();
      frontends[svc] = `http://127.0.0.1:${bindPort}`;
      const vs: LabSpec['services'][number]['versions'] = [];
      for (const [version, n] of Object.entries(versions)) {
        const servers = [];
        for (let i = 1; i <= n; i++) {
          const name = `${svc}-${version}-${i}`;
          const port = await freePort();
          children.push(await startBackendProcess(name, version, port));
          servers.push({ name, address: `127.0.0.1:${port}` });
          instances.push({ name, service: svc, version, address: `127.0.0.1:${port}` });
        }
        vs.push({ version, servers });
      }
      spec.services.push({ name: svc, bindPort, versions: vs });
    }
    log(`${instances.length} backends serving`);
    const { files, adapterConfig } = generateHaproxyLab(spec);
    for (const [f, content] of Object.entries(files)) await writeFile(path.join(o.dir, f), content);
    await rm(path.join(o.dir, 'admin.sock'), { force: true });
    children.push(await launchHaproxy(path.join(o.dir, 'haproxy.cfg'), path.join(o.dir, 'admin.sock')));
    log(`HAProxy up, Runtime API at ${o.dir}/admin.sock`);
    const prom = await startPrometheus(o.dir, await freePort(), instances.map((i) => i.address));
    children.push(prom.process);
    await prom.waitUp(instances.length);
    log(`Prometheus up at ${prom.url}, scraping ${instances.length} backends`);
    for (const i of adapterConfig.instances) Object.assign(i, { region: 'lab', zone: 'lab-a', cluster: 'lab-1' });
    const full = { ...adapterConfig, metrics: { url: prom.url, instanceLabel: 'sb_instance', window: '15s' } };
    if (o.load) {
      load = startLoad({ targets: Object.values(frontends), rps: o.load.rps * Object.keys(frontends).length, durationS: o.load.durationS, maxInFlight: 50 });
      log(`load: ${o.load.rps} requests/s per service for ${o.load.durationS} s`);
    }
    return {
      dir: o.dir,
      adapterConfig: full,
      frontends,
      prometheusUrl: prom.url,
      instances,
      async setKnobs(instance, knobs) {
        const i = instances.find((x) => x.name === instance);
        if (!i) throw new Error(`no lab instance ${instance}`);
        const r = await fetch(`http://${i.address}/knobs`, { method: 'POST', body: JSON.stringify(knobs) });
        if (!r.ok) throw new Error(`knobs on ${instance}: HTTP ${r.status}`);
      },
      pids: () => children.map((c) => c.pid ?? 0),
      stopPrometheus: () => stopProcess(prom.process),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
