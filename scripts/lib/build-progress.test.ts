import { describe, expect, it } from 'vitest';
import { BuildOutput, phaseOf } from './build-progress';

// Next 16's `next build` output when not on a terminal (Turbopack, then webpack's extra line).
const NEXT_OUTPUT = `▲ Next.js 16.4.6 (Turbopack)
✓ Running next.config.ts took 342ms

  Creating an optimized production build ...
✓ Compiled successfully in 32.1s
  Skipping validation of types
  Collecting page data using 1 worker ...
  Generating static pages using 1 worker (0/3) ...
✓ Generating static pages using 1 worker (3/3) in 1097ms
  Finalizing page optimization ...

Route (app)
┌ ƒ /
├ ƒ /_not-found
├ ○ /icon.svg
└ ƒ /topology


ƒ Proxy (Middleware)

○  (Static)   prerendered as static content
ƒ  (Dynamic)  server-rendered on demand
`;

describe('next build output as npm start shows it', () => {
  it('passes the phase lines through and folds the route table into a count', () => {
    const printed: string[] = [];
    const out = new BuildOutput((l) => printed.push(l));
    const phases: string[] = [];
    for (const l of NEXT_OUTPUT.split('\n')) {
      out.line(l);
      phases.push(out.phase);
    }
    expect(printed).toEqual([
      '▲ Next.js 16.4.6 (Turbopack)',
      '✓ Running next.config.ts took 342ms',
      'Creating an optimized production build ...',
      '✓ Compiled successfully in 32.1s',
      'Skipping validation of types',
      'Collecting page data using 1 worker ...',
      'Generating static pages using 1 worker (0/3) ...',
      '✓ Generating static pages using 1 worker (3/3) in 1097ms',
      'Finalizing page optimization ...',
    ]);
    expect(out.summary()).toBe('4 routes built');
    expect([...new Set(phases)]).toEqual(['starting', 'compiling', 'collecting page data', 'prerendering', 'finalizing']);
  });

  it('names the phase of the line that starts it', () => {
    expect(phaseOf('  Running TypeScript ...')).toBe('checking types');
    expect(phaseOf('  Collecting build traces ...')).toBe('finalizing');
    expect(phaseOf('✓ Compiled successfully in 89s')).toBeNull();
  });

  it('passes errors through as they come', () => {
    const printed: string[] = [];
    const out = new BuildOutput((l) => printed.push(l));
    out.line('Failed to compile.');
    out.line('./components/x.tsx:3:1');
    expect(printed).toEqual(['Failed to compile.', './components/x.tsx:3:1']);
    expect(out.summary()).toBeNull();
  });
});
