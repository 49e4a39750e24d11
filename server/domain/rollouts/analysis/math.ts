// Numerical helpers of the canary analysis, all in log space so that millions of requests never
// overflow (a likelihood ratio of 10^400 is a number here, not Infinity).

/** log(Σ exp(xs)), stable for large and for -Infinity entries. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > max) max = xs[i]!;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i]! - max);
  return max + Math.log(s);
}

// Lanczos approximation (g = 7, 9 terms): ~15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Jeffreys prior of the beta-binomial mixtures behind the confidence bands. */
const PRIOR_A = 0.5;
const PRIOR_B = 0.5;
const LOG_BETA_PRIOR = logBeta(PRIOR_A, PRIOR_B);

/**
 * Log of the beta-binomial mixture e-value against "success probability = p0" after `s` successes
 * in `n` trials: ∫ Π Bernoulli(p) dBeta(p) / Π Bernoulli(p0). Under p0 it is a nonnegative
 * martingale with mean 1 (the Bayes factor of a proper prior), so by Ville's inequality it exceeds
 * 1/α with probability ≤ α at any look — the basis of the anytime-valid bands.
 */
export function logBetaBinomialE(s: number, n: number, p0: number): number {
  const f = n - s;
  const ll0 = (s > 0 ? s * Math.log(p0) : 0) + (f > 0 ? f * Math.log1p(-p0) : 0);
  return logBeta(PRIOR_A + s, PRIOR_B + f) - LOG_BETA_PRIOR - ll0;
}

/**
 * The anytime-valid confidence interval of a binomial probability after `s` of `n`: every p0 whose
 * mixture e-value stays below 1/α. log e is convex in p0, so the set is an interval; found by
 * bisection on each side of s/n.
 */
export function binomialConfidence(s: number, n: number, alpha: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const bar = Math.log(1 / alpha);
  const hat = Math.min(1, Math.max(0, s / n));
  const f = n - s;
  // The mixture's marginal likelihood does not depend on p0: computed once, not per bisection step.
  const marginal = logBeta(PRIOR_A + s, PRIOR_B + f) - LOG_BETA_PRIOR;
  const rejects = (p: number) => marginal - ((s > 0 ? s * Math.log(p) : 0) + (f > 0 ? f * Math.log1p(-p) : 0)) >= bar;
  const search = (inside: number, outside: number) => {
    // Invariant: `inside` is not rejected, `outside` is (or is the boundary 0 / 1).
    let a = inside;
    let b = outside;
    for (let i = 0; i < 40; i++) {
      const mid = (a + b) / 2;
      if (rejects(mid)) b = mid;
      else a = mid;
    }
    return b;
  };
  const tiny = 1e-12;
  const low = s <= 0 || !rejects(tiny) ? 0 : search(hat, tiny);
  const high = s >= n || !rejects(1 - tiny) ? 1 : search(hat, 1 - tiny);
  return { low, high };
}

/** Standard normal CDF, via erfc (Numerical Recipes' Chebyshev fit, |relative error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
