import { describe, expect, it } from 'vitest';
import type { PlatformCapabilities } from '../../platform/adapter';
import { capabilityRefusals, type RolloutCapabilities } from './refusals';
import { exampleSpec, type RolloutSpec } from './spec';

const sim: RolloutCapabilities = { adapter: 'simulator', routing: true, headerMatches: ['exact', 'prefix', 'regex'], latencyHistogram: true };
const haproxy: RolloutCapabilities = { adapter: 'haproxy', routing: true, headerMatches: ['exact'], routingHeaders: ['X-Abtest-Group'], latencyHistogram: false };
const spec = exampleSpec('order-api');

describe('capabilityRefusals', () => {
  it('refuses nothing a capable adapter can do', () => {
    expect(capabilityRefusals(spec, sim)).toEqual([]);
    const errorsOnly: RolloutSpec = { ...spec, steps: spec.steps.filter((s) => s.kind !== 'analysis'), backgroundAnalysis: { metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }] } };
    expect(capabilityRefusals(errorsOnly, haproxy)).toEqual([]);
  });

  it('names the capability: header match kinds, headers, latency histogram', () => {
    const s: RolloutSpec = {
      ...spec,
      steps: [{ kind: 'setHeaderRoute', header: 'X-User-Id', match: 'prefix', value: 'qa-' }, ...spec.steps],
    };
    expect(capabilityRefusals(s, haproxy)).toEqual([
      { path: 'steps.0.match', message: 'The haproxy adapter cannot match headers by prefix (it supports: exact)' },
      { path: 'steps.0.header', message: 'The haproxy adapter cannot route on the header X-User-Id (it routes on: X-Abtest-Group)' },
      { path: 'steps.3.metrics.1', message: expect.stringMatching(/^The haproxy adapter has no latency histogram, so p95 latency cannot be analysed .*: add a Prometheus source exporting http_request_duration_seconds/) as unknown },
      { path: 'backgroundAnalysis.metrics.1', message: expect.stringMatching(/no latency histogram/) as unknown },
    ]);
  });

  it('matches header names case-insensitively, and refuses everything without routing', () => {
    const s: RolloutSpec = { ...spec, steps: [{ kind: 'setHeaderRoute', header: 'x-abtest-group', match: 'exact', value: 'v2-canary' }], backgroundAnalysis: null };
    expect(capabilityRefusals(s, haproxy)).toEqual([]);
    expect(capabilityRefusals(s, { ...haproxy, headerMatches: [] })[0]!.message).toBe('The haproxy adapter cannot match headers exactly (it supports: none)');
    expect(capabilityRefusals(s, { ...sim, adapter: 'static', routing: false })).toEqual([{ path: 'steps', message: expect.stringMatching(/^The static adapter cannot route by version/) as unknown }]);
  });
});

// The platform's capabilities (same field names) are what this module reads: a compile error otherwise.
type FromPlatform = PlatformCapabilities & { adapter: string } extends RolloutCapabilities ? true : false;
const fromPlatform: FromPlatform = true;
it('reads the platform capabilities by their own field names', () => expect(fromPlatform).toBe(true));
