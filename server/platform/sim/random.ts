// Seeded random streams for the simulator. Each instance and each service owns one 32-bit
// mulberry32 state, derived from (seed, name), kept in a Uint32Array slot so that the hot loop
// allocates nothing and a stream never depends on the order of the fleet.

/** 32-bit hash of a name under a seed (FNV-1a, then murmur3's finaliser for avalanche). */
export function streamSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  // Mix the high bits of seeds beyond 32 bits too.
  h = Math.imul(h ^ Math.floor(seed / 0x1_0000_0000), 0x01000193);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from stream `i` of `state` (mulberry32). */
export function uniform(state: Uint32Array, i: number): number {
  const a = (state[i]! + 0x6d2b79f5) >>> 0;
  state[i] = a;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Standard normal (Box–Muller; one of the pair is used so a stream's draws stay simple to follow). */
export function normal(state: Uint32Array, i: number): number {
  const u1 = 1 - uniform(state, i); // (0, 1]
  const u2 = uniform(state, i);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A count with the given mean: Poisson for small means, its normal approximation above 20. */
export function sampleCount(state: Uint32Array, i: number, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 20) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniform(state, i);
    while (p > limit) {
      k++;
      p *= uniform(state, i);
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(state, i)));
}

/** Standard normal density and distribution function (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
export function phi(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

export function bigPhi(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = phi(z) * poly;
  return z >= 0 ? 1 - tail : tail;
}

/** Mean of max(0, X) for X ~ N(mu, sigma): what a netem normal delay clamped at zero adds on average. */
export function clampedNormalMean(mu: number, sigma: number): number {
  if (!(sigma > 0)) return Math.max(0, mu);
  const z = mu / sigma;
  return mu * bigPhi(z) + sigma * phi(z);
}
