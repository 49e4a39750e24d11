// What `npm start` shows while `next build` runs: Next's own phase lines as they come (with the
// seconds since the build began), its route table folded into one line, and a phase name for the
// "still building" line that `npm start` prints while Next is silent (compiling says nothing for
// a minute on 2 cores).

export type BuildPhase = 'starting' | 'compiling' | 'checking types' | 'collecting page data' | 'prerendering' | 'finalizing';

const PHASES: Array<[RegExp, BuildPhase]> = [
  [/Creating an optimized production build/, 'compiling'],
  [/Running TypeScript|Linting and checking validity of types/, 'checking types'],
  [/Collecting page data/, 'collecting page data'],
  [/Generating static pages/, 'prerendering'],
  [/Finalizing page optimization|Collecting build traces/, 'finalizing'],
];

/** The phase a line of `next build` output starts, or null. */
export function phaseOf(line: string): BuildPhase | null {
  for (const [re, phase] of PHASES) if (re.test(line)) return phase;
  return null;
}

// The route table and its legend: one summary line instead of a line per route.
const TABLE_ROW = /^\s*[┌├└│]\s/;
const TABLE_NOISE = /^\s*(Route \((app|pages)\)|[○●ƒ◐]\s+(\(|Proxy)|\+ First Load JS)/;

export class BuildOutput {
  phase: BuildPhase = 'starting';
  private routes = 0;

  constructor(private readonly print: (line: string) => void) {}

  /** One line of the build's stdout or stderr, as it arrives. */
  line(raw: string): void {
    const line = raw.trimEnd();
    if (!line.trim()) return;
    if (TABLE_ROW.test(line)) {
      this.routes++;
      return;
    }
    if (TABLE_NOISE.test(line)) return;
    this.phase = phaseOf(line) ?? this.phase;
    this.print(line.trim());
  }

  /** After the build: how many routes it built (the table it printed, folded). */
  summary(): string | null {
    return this.routes ? `${this.routes} routes built` : null;
  }
}
