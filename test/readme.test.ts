import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README is what a newcomer reads first, in a fresh clone: it must stand on its own.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('links to nothing outside the repository and cites no team-internal document', () => {
    expect(readme).not.toMatch(/\.\.\/|\/work\/|shared\/(SPEC|ARCHITECTURE)/);
    expect(readme).not.toMatch(/SPEC\s*§/);
  });

  it('names only files that exist in the repository', () => {
    const paths = [...readme.matchAll(/`((?:server|components|app|scripts|prisma|docs|e2e|test)\/[\w./-]+?)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(new URL(`../${p}`, import.meta.url)))).toEqual([]);
  });

  // A measured figure with its conditions, not a promise: the goal is 90 s on a quiet 2-core machine.
  it('states the measured first-start time and the machine it was measured on', () => {
    const m = readme.match(/first start builds the console: a fresh clone was ready in (\d+) s on a quiet 2-core machine\s*\(build (\d+) s; measured \d{4}-\d{2}-\d{2}\)/);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]));
  });
});
