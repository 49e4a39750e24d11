// Reading Prometheus text exposition in tests: promtool (the Prometheus project's own checker)
// says whether it parses, and a small reader turns it into samples to assert on.
import { spawnSync } from 'node:child_process';

export const PROMTOOL_BIN = '/usr/bin/promtool';

/**
 * Runs `promtool check metrics` on the text. `parses` is false on a format error; `lint` lists
 * convention problems by metric (prom-client's own nodejs_* gauges end in _total, which promtool
 * flags: callers filter to the metrics they own).
 */
export function promtoolCheck(text: string): { parses: boolean; lint: string[]; output: string } {
  const r = spawnSync(PROMTOOL_BIN, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  // 0: clean, 3: lint problems only; anything else (1: "error while linting") is a parse failure.
  const parses = r.status === 0 || (r.status === 3 && !/error while linting|parsing error/i.test(output));
  return { parses, lint: output ? output.split('\n') : [], output };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of the text (comments skipped); throws on a line it cannot read. */
export function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample with this name and these labels (undefined when absent). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
