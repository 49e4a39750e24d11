// A Prometheus for the lab: scrapes every backend each second, its data in a temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

export interface LabPrometheus {
  url: string;
  process: ChildProcess;
  /** Resolves when every target is `up == 1` (the first scrape takes a few seconds). */
  waitUp(targets: number, timeoutMs?: number): Promise<void>;
}

export async function startPrometheus(dir: string, port: number, targets: string[]): Promise<LabPrometheus> {
  const cfg = ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: lab', '    static_configs:', `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`].join('\n');
  const file = path.join(dir, 'prometheus.yml');
  await writeFile(file, `${cfg}\n`);
  const p = spawn(PROMETHEUS_BIN, [`--config.file=${file}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: p,
    async waitUp(n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (p.exitCode !== null) throw new Error(`prometheus exited: ${err}`);
        // 503 until its storage is ready; any failure just means "not yet".
        const body = (await fetch(`${url}/api/v1/query?query=sum(up)`).then((r) => (r.ok ? r.json() : null)).catch(() => null)) as { data?: { result?: Array<{ value: [number, string] }> } } | null;
        if (Number(body?.data?.result?.[0]?.value[1] ?? 0) >= n) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`prometheus: not all ${n} targets up within ${timeoutMs} ms ${err}`);
    },
  };
}
