// Default policy documents with the constants of SPEC §3. Pure data: the seed stores them as
// the global policies; later issues validate and edit them.
export const defaultWeightPolicy = {
  model: 'linear-decay' as 'linear-decay' | 'exp-latency',
  base: 100,
  normalisers: { cpuPct: 100, p95Ms: 2000, connections: 5000 },
  coefficients: { latency: 0.5, cpu: 0.3, connections: 0.2 },
  latencyScaleMs: 100,
  thresholds: { cpuPct: 85, p95Ms: 1200, connections: 4500 },
  periodicRecomputeS: 30,
  smoothingWindowS: 30,
  cadencesS: { cpu: 5, p95: 3, connections: 10 },
};

export const defaultWatermarkPolicy = {
  elevatedPct: 60,
  degradePct: 85,
  breakPct: 95,
  breakHoldS: 5,
  stepDownHoldS: 30,
  routeSwitchMinBrokenStages: 2,
  ingress: { capacityBytes: 16 * 1024, writeTimeoutMs: 200, timeoutsToIsolate: 3 },
};

export const defaultBreakerPolicy = {
  alpha: 0.2,
  factor: 1.5,
  concurrencyFraction: 0.8,
  windowS: 60,
  minSamples: 20,
  staticErrorRatio: 0.5,
  coolDownS: 10,
  halfOpenProbes: 5,
};

export const defaultStrategyPolicy = {
  order: [
    { name: 'canary', enabled: true },
    { name: 'zone-aware', enabled: true },
    { name: 'weighted', enabled: true },
  ],
};

export const defaultPolicies = {
  weight: defaultWeightPolicy,
  watermark: defaultWatermarkPolicy,
  breaker: defaultBreakerPolicy,
  strategy: defaultStrategyPolicy,
} as const;
