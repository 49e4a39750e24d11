// The sequential test both metrics share: a mixture of conditional-binomial likelihood ratios,
// updated once per tick, that is a nonnegative supermartingale under the null — so, by Ville's
// inequality, P(it ever reaches 1/α) ≤ α however often it is looked at (SPEC §6.1; the
// Poisson-process / conditional-multinomial construction of Lindon & Malek, arXiv 2011.03567).
//
// Per tick the canary and stable each produce "events" (errors, or requests slower than a
// threshold) at rates λc per canary exposure and λs per stable exposure (exposures nc, ns: their
// requests). Conditional on the tick's total events T, the canary's share x is
// Binomial(T, θ) with θ = nc·ρ / (nc·ρ + ns), ρ = λc / λs (exact for Poisson counts; for binomial
// counts the conditional law is hypergeometric-like, which is less spread than the binomial, so
// the likelihood ratios below — convex in x — have even smaller mean: still valid).
//
// The null boundary is ρ = k (k = 1 + margin for errors; see latency.ts for latency). Against it,
// an alternative ρ = k·r has the per-tick likelihood ratio
//   LR_t(r) = r^x · ((nc·k + ns) / (nc·k·r + ns))^T,
// whose conditional mean is ≤ 1 whenever the truth is on the null side (ρ ≤ k for r > 1; ρ ≥ k for
// r < 1). The products over ticks, mixed with fixed prior weights over a grid of r, stay
// supermartingales: "regression" uses r > 1, "within margin" the mirrored r < 1 grid.

/** Alternatives against the boundary: how much worse than allowed (ratio of rates). */
const REGRESSION_RATIOS = [1.1, 1.2, 1.35, 1.5, 1.75, 2, 2.5, 3.5, 5, 8, 15, 40];
/** Alternatives on the good side: how much better than the boundary. */
const WITHIN_RATIOS = [1 / 1.1, 1 / 1.2, 1 / 1.35, 1 / 1.5, 1 / 1.75, 1 / 2, 1 / 3, 1 / 5, 1 / 10, 1 / 40];
const LOG_REGRESSION = REGRESSION_RATIOS.map(Math.log);
const LOG_WITHIN = WITHIN_RATIOS.map(Math.log);

/** Uniform prior weights over each grid: the mixture e-value is the mean of the products. */
function mixtureLog(logs: Float64Array): number {
  const max = maxOf(logs);
  let s = 0;
  for (const v of logs) s += Math.exp(v - max);
  return max + Math.log(s / logs.length);
}

function maxOf(logs: Float64Array): number {
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  return max;
}

function atLeast(logs: Float64Array, logBar: number): boolean {
  const max = maxOf(logs);
  if (max < logBar) return false;
  if (max - Math.log(logs.length) >= logBar) return true;
  return mixtureLog(logs) >= logBar;
}

function addRegression(logs: Float64Array, xs: number, total: number, a: number, ns: number): void {
  const logNull = Math.log(a + ns);
  for (let i = 0; i < REGRESSION_RATIOS.length; i++) logs[i]! += xs * LOG_REGRESSION[i]! + total * (logNull - Math.log(a * REGRESSION_RATIOS[i]! + ns));
}

const valid = (x: number, total: number, nc: number, ns: number, k: number) => nc > 0 && ns > 0 && total > 0 && k > 0 && Number.isFinite(k) && Number.isFinite(x);

function logAddExp(a: number, b: number): number {
  const max = Math.max(a, b);
  return max === -Infinity ? -Infinity : max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

/**
 * The second regression e-process, for latency.ts's cross comparison (below): the same grid of
 * alternatives, mixed over when it starts betting as well — the product from observation s on has
 * prior weight 1/(s(s+1)) (the weights sum to 1; weight not yet started stays as it is). Why: the
 * cross comparison is conservative, so through a healthy period the products of the plain grid
 * shrink fast (stable's events count against every r > 1) and a canary degrading after 150
 * healthy seconds needed over a minute to win that back; a product started at the degradation has
 * nothing to win back and only pays its weight (log(s(s+1)), ~10 at the 150th observation). Each
 * (start, r) product is a supermartingale under the null, so the mixture is one too; and each is
 * nondecreasing in the canary's events, so more slow canary requests never lower the evidence (an
 * adaptive plug-in bet, tried first, lost that property).
 */
class FreshStarts {
  private readonly logR = new Float64Array(REGRESSION_RATIOS.length).fill(-Infinity);
  private n = 0;

  /** `logBase`: the e-value it continues from (the fixed grid's when it was created). */
  constructor(private logBase: number) {}

  /** A tick without a cross observation: the whole process takes the fixed grid's ratio. */
  follow(logRatio: number): void {
    this.logBase += logRatio;
  }

  observe(xs: number, total: number, a: number, ns: number): void {
    this.n++;
    const logW = -Math.log(this.n * (this.n + 1));
    const logNull = Math.log(a + ns);
    for (let i = 0; i < REGRESSION_RATIOS.length; i++) {
      this.logR[i] = xs * LOG_REGRESSION[i]! + total * (logNull - Math.log(a * REGRESSION_RATIOS[i]! + ns)) + logAddExp(this.logR[i]!, logW);
    }
  }

  logE(): number {
    // Started products (mean over the grid) plus the weight not yet started, 1/(n+1).
    return this.logBase + logAddExp(this.n > 0 ? mixtureLog(this.logR) : -Infinity, -Math.log(this.n + 1));
  }
}

/**
 * A second regression observation of the same tick, against its own null boundary: latency.ts's
 * comparison with stable's tail beyond a lower bound while stable has (almost) nothing beyond the
 * compared one.
 */
export interface CrossObservation {
  x: number;
  total: number;
  k: number;
}

export class MixtureTest {
  private readonly regression = new Float64Array(REGRESSION_RATIOS.length);
  /** The second regression e-process; null until the first cross observation. */
  private adaptive: FreshStarts | null = null;
  private readonly within = new Float64Array(WITHIN_RATIOS.length);
  /** Ticks that carried evidence (both versions exposed, at least one event). */
  informativeTicks = 0;

  /**
   * One tick: `x` of the `total` events came from the canary; exposures nc, ns; null boundary k.
   * A tick without exposure on either side or without events says nothing (its ratio is 1).
   * From the first `cross` observation on, the regression e-value is the mean of two e-processes:
   * the fixed-grid mixture, and one that followed the mixture's own ratios until then and from
   * then on mixes fresh starts over the cross observations (FreshStarts; on a tick without one,
   * it takes the mixture's ratio). Each is a supermartingale under the null — switching how to
   * bet at a time fixed by the past keeps every ratio's conditional mean ≤ 1 — so their mean is
   * one too, and the α of the fail bar is unchanged.
   */
  observe(x: number, total: number, nc: number, ns: number, k: number, cross?: CrossObservation): void {
    const before = this.adaptive && !cross ? mixtureLog(this.regression) : 0;
    let informative = false;
    if (cross && valid(cross.x, cross.total, nc, ns, cross.k)) {
      this.adaptive ??= new FreshStarts(mixtureLog(this.regression));
      this.adaptive.observe(Math.min(Math.max(0, cross.x), cross.total), cross.total, nc * cross.k, ns);
      informative = true;
    }
    if (valid(x, total, nc, ns, k)) {
      const xs = Math.min(Math.max(0, x), total);
      const a = nc * k;
      addRegression(this.regression, xs, total, a, ns);
      if (this.adaptive && !cross) this.adaptive.follow(mixtureLog(this.regression) - before);
      const logNull = Math.log(a + ns);
      for (let i = 0; i < WITHIN_RATIOS.length; i++) {
        this.within[i]! += xs * LOG_WITHIN[i]! + total * (logNull - Math.log(a * WITHIN_RATIOS[i]! + ns));
      }
      informative = true;
    }
    if (informative) this.informativeTicks++;
  }

  /** Whether the regression e-value has reached exp(logBar); the log-sum-exp only near the bar. */
  regressionAtLeast(logBar: number): boolean {
    if (!this.adaptive) return atLeast(this.regression, logBar);
    // The mean of the two lies below the larger one.
    if (this.adaptive.logE() < logBar && maxOf(this.regression) < logBar) return false;
    return this.regressionLogE() >= logBar;
  }

  withinAtLeast(logBar: number): boolean {
    return atLeast(this.within, logBar);
  }

  /** log of the e-value against "no regression beyond the margin" (fail when ≥ log 1/α). */
  regressionLogE(): number {
    const grid = mixtureLog(this.regression);
    if (!this.adaptive) return grid;
    const ad = this.adaptive.logE();
    const max = Math.max(grid, ad);
    return max + Math.log((Math.exp(grid - max) + Math.exp(ad - max)) / 2);
  }

  /** log of the e-value against "regression at or beyond the margin" (within margin when ≥ log 1/α). */
  withinLogE(): number {
    return mixtureLog(this.within);
  }
}

/** An e-value for display: finite, capped (JSON has no Infinity). */
export function displayE(logE: number): number {
  if (!Number.isFinite(logE)) return logE > 0 ? 1e12 : 0;
  return Math.min(1e12, Math.exp(logE));
}
