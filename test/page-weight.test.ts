import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clientGraph, pageEntries, routeOf } from './client-graph';

// Page weight without a stopwatch: the libraries that make a page heavy (recharts ~390 KB, React
// Flow ~165 KB, the yaml parser ~130 KB, elkjs ~1.5 MB of JavaScript) must not be in the first
// load of a page that does not draw with them at its first paint. They load as chunks of their own
// (next/dynamic or import()) once the page runs. `npm run bench -- pageweight` measures the bytes.
const root = fileURLToPath(new URL('..', import.meta.url));
const HEAVY = ['recharts', '@xyflow/react', 'elkjs', 'yaml'];
/** Pages whose first paint is drawn with a heavy library (the topology graph is the page). */
const ALLOWED: Record<string, string[]> = { '/topology': ['@xyflow/react'] };

const pages = readdirSync(join(root, 'app'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /(^|[\\/])page\.tsx$/.test(f))
  .map((f) => join(root, 'app', f));

describe('first-load JavaScript of each page (static imports from its client components)', () => {
  it('finds the console pages', () => {
    expect(pages.map((p) => routeOf(root, p))).toEqual(expect.arrayContaining(['/instances/[name]', '/services/[name]', '/machines', '/topology', '/rollouts/new']));
  });

  it.each(pages.map((p) => [routeOf(root, p), p]))('%s loads no heavy library it does not draw with at first paint', (route, page) => {
    const heavy = clientGraph(root, pageEntries(root, page)).packages.filter((p) => HEAVY.includes(p));
    expect(heavy.filter((p) => !(ALLOWED[route] ?? []).includes(p))).toEqual([]);
  });

  it('the instance page draws its chart frames at first paint and loads the plots after', () => {
    const page = pages.find((p) => routeOf(root, p) === '/instances/[name]')!;
    const g = clientGraph(root, pageEntries(root, page));
    expect(g.files).toContain('components/charts/time-series.tsx');
    expect(g.files).not.toContain('components/charts/time-series-plot.tsx');
    expect(g.packages).toEqual(expect.arrayContaining(['react', '@tanstack/react-query']));
  });
});
