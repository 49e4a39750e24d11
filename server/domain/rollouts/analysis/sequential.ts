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
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  let s = 0;
  for (const v of logs) s += Math.exp(v - max);
  return max + Math.log(s / logs.length);
}

function atLeast(logs: Float64Array, logBar: number): boolean {
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  if (max < logBar) return false;
  if (max - Math.log(logs.length) >= logBar) return true;
  return mixtureLog(logs) >= logBar;
}

export class MixtureTest {
  private readonly regression = new Float64Array(REGRESSION_RATIOS.length);
  private readonly within = new Float64Array(WITHIN_RATIOS.length);
  /** Ticks that carried evidence (both versions exposed, at least one event). */
  informativeTicks = 0;

  /**
   * One tick: `x` of the `total` events came from the canary; exposures nc, ns; null boundary k.
   * A tick without exposure on either side or without events says nothing (its ratio is 1).
   */
  observe(x: number, total: number, nc: number, ns: number, k: number): void {
    if (!(nc > 0) || !(ns > 0) || !(total > 0) || !(k > 0) || !Number.isFinite(k)) return;
    const xs = Math.min(Math.max(0, x), total);
    const a = nc * k;
    const logNull = Math.log(a + ns);
    for (let i = 0; i < REGRESSION_RATIOS.length; i++) {
      this.regression[i]! += xs * LOG_REGRESSION[i]! + total * (logNull - Math.log(a * REGRESSION_RATIOS[i]! + ns));
    }
    for (let i = 0; i < WITHIN_RATIOS.length; i++) {
      this.within[i]! += xs * LOG_WITHIN[i]! + total * (logNull - Math.log(a * WITHIN_RATIOS[i]! + ns));
    }
    this.informativeTicks++;
  }

  /**
   * Whether the regression e-value has reached exp(logBar), without the log-sum-exp on most ticks:
   * the mixture (a mean) lies between max/J and max of its terms.
   */
  regressionAtLeast(logBar: number): boolean {
    return atLeast(this.regression, logBar);
  }

  withinAtLeast(logBar: number): boolean {
    return atLeast(this.within, logBar);
  }

  /** log of the e-value against "no regression beyond the margin" (fail when ≥ log 1/α). */
  regressionLogE(): number {
    return mixtureLog(this.regression);
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
