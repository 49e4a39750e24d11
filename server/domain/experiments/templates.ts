// Built-in experiment templates. The first is the seed's acceptance case: `tc netem delay 200ms
// 300ms distribution normal` on the ingress of edge-gateway, judged against 99.9 % availability.
import type { ExperimentSpec } from './spec';

export interface ExperimentTemplate {
  key: string;
  title: string;
  /** What it shows an SRE, in a sentence. */
  summary: string;
  spec: ExperimentSpec;
}

const base = {
  selection: { mode: 'all' },
  blastRadius: { maxServicePct: 50, maxZonePct: null, maxClusterPct: null },
  cohort: null,
  steadyState: [{ kind: 'availability-below', pct: 99, windowS: 30 }],
  abortConditions: [
    { kind: 'availability-below', pct: 95, windowS: 30 },
    { kind: 'degraded-at-least', count: 5 },
  ],
  availabilityTargetPct: 99.9,
  baselineS: 60,
  observeS: 120,
} satisfies Omit<ExperimentSpec, 'fault' | 'targets' | 'durationS'>;

const anyWhere = { regions: [], zones: [], clusters: [], services: [], versions: [], labels: {} };

export const EXPERIMENT_TEMPLATES: readonly ExperimentTemplate[] = [
  {
    key: 'seed-jitter',
    title: 'Network jitter on the edge-gateway ingress',
    summary: '200 ms delay with 300 ms jitter (normal distribution) on the ingress of half of edge-gateway; per-layer P99, availability against 99.9 % and self-heal time.',
    // Half of edge-gateway's instances: `all` would exceed the 50 % blast-radius cap and never start.
    spec: { ...base, fault: { kind: 'delay', delayMs: 200, jitterMs: 300 }, targets: { ...anyWhere, services: ['edge-gateway'] }, selection: { mode: 'percent', pct: 50 }, durationS: 120 },
  },
  {
    key: 'http-503',
    title: 'HTTP 503 from part of a service',
    summary: '20 % of responses become 503 on one instance in three of the service.',
    spec: { ...base, fault: { kind: 'http-error', status: 503, pct: 20 }, targets: { ...anyWhere, services: ['payment-svc'] }, selection: { mode: 'percent', pct: 30 }, durationS: 120 },
  },
  {
    key: 'packet-loss',
    title: 'Packet loss',
    summary: '5 % of packets lost on the chosen instances.',
    spec: { ...base, fault: { kind: 'loss', pct: 5 }, targets: { ...anyWhere, services: ['order-api'] }, selection: { mode: 'count', count: 2 }, durationS: 120 },
  },
  {
    key: 'kill-one',
    title: 'Kill one instance',
    summary: 'One instance stops answering; watch the weights move its traffic.',
    spec: { ...base, fault: { kind: 'kill' }, targets: { ...anyWhere, services: ['inventory-svc'] }, selection: { mode: 'one' }, durationS: 60 },
  },
  {
    key: 'drain-one',
    title: 'Drain one instance',
    summary: 'One instance finishes what it has and takes nothing new.',
    spec: { ...base, fault: { kind: 'drain' }, targets: { ...anyWhere, services: ['inventory-svc'] }, selection: { mode: 'one' }, durationS: 60 },
  },
  {
    key: 'cpu-stress',
    title: 'CPU stress',
    summary: '60 % of CPU taken on two instances; watch the load-aware weights.',
    spec: { ...base, fault: { kind: 'cpu-stress', pct: 60 }, targets: { ...anyWhere, services: ['order-api'] }, selection: { mode: 'count', count: 2 }, durationS: 120 },
  },
  {
    key: 'buffer-saturation',
    title: 'Saturate the execution buffer',
    summary: 'The execution stage buffer held at 90 %: backpressure, degradation, breakers.',
    spec: { ...base, fault: { kind: 'buffer-saturation', stage: 'execution', fillPct: 90 }, targets: { ...anyWhere, services: ['order-api'] }, selection: { mode: 'one' }, durationS: 120 },
  },
];

export function templateByKey(key: string): ExperimentTemplate | undefined {
  return EXPERIMENT_TEMPLATES.find((t) => t.key === key);
}
