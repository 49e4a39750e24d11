// `npm run bench -- scale`: the fleet-scale figures at 80 / 1,000 / 10,000 instances. Each part is
// a file in bench/scale/ exporting `measure(instances)`; this runs every part at every size (or the
// sizes in SCALE_SIZES, e.g. SCALE_SIZES=80,1000) and prints one JSON object, part → size → figures.
import { readdirSync } from 'node:fs';

export type Figures = Record<string, number | string | boolean | null | Record<string, unknown>>;
export interface ScalePart {
  /** Figures for a fleet of about `instances` instances. Throw to report the part as failed at that size. */
  measure(instances: number): Promise<Figures>;
}

const SIZES = (process.env.SCALE_SIZES ?? '80,1000,10000').split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);

export async function run(): Promise<Record<string, unknown>> {
  const dir = new URL('./scale/', import.meta.url);
  const parts = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const only = process.env.SCALE_PARTS?.split(',').map((s) => s.trim());
  const out: Record<string, unknown> = { bench: 'scale', sizes: SIZES };
  for (const file of parts) {
    const name = file.replace(/\.ts$/, '');
    if (only && !only.includes(name)) continue;
    const mod = (await import(new URL(file, dir).href)) as Partial<ScalePart>;
    if (typeof mod.measure !== 'function') continue;
    const bySize: Record<string, unknown> = {};
    for (const n of SIZES) {
      try {
        bySize[n] = await mod.measure(n);
      } catch (err) {
        bySize[n] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    out[name] = bySize;
  }
  return out;
}
