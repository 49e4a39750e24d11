import { describe, expect, it } from 'vitest';
import { meaningfulShare, serviceHealth, type HealthCounts } from './service-health';

const healthy = (instances: number, over: Partial<HealthCounts> = {}): HealthCounts => ({
  hasTelemetry: true,
  instances,
  up: instances,
  unhealthy: 0,
  degraded: 0,
  severelyDegraded: 0,
  maxDegradation: 0,
  openBreakers: 0,
  halfOpenBreakers: 0,
  backpressured: 0,
  errorPercent: 0.2,
  p95Ms: 200,
  faultedInstances: 0,
  ...over,
});

describe('meaningfulShare (10 %)', () => {
  it('is exact at the boundary', () => {
    expect(meaningfulShare(1, 10)).toBe(true);
    expect(meaningfulShare(1, 11)).toBe(false);
    expect(meaningfulShare(250, 2502)).toBe(false);
    expect(meaningfulShare(251, 2502)).toBe(true);
    expect(meaningfulShare(0, 10)).toBe(false);
    expect(meaningfulShare(0, 0)).toBe(false);
  });
});

describe('serviceHealth', () => {
  it('is ok with nothing wrong, and before any telemetry', () => {
    expect(serviceHealth(healthy(2502))).toEqual({ health: 'ok', reasons: [], headline: '2,502 of 2,502 up' });
    expect(serviceHealth(healthy(4, { hasTelemetry: false, up: 0, unhealthy: 4 }))).toEqual({ health: 'ok', reasons: [], headline: '' });
  });

  it('one stage-broken instance of 2,502 is a warning, counted in words', () => {
    const v = serviceHealth(healthy(2502, { unhealthy: 1, degraded: 1, severelyDegraded: 1, maxDegradation: 2 }));
    expect(v).toEqual({ health: 'warn', reasons: ['1 of 2,502 degraded (L2)'], headline: '1 of 2,502 degraded' });
  });

  it('one open breaker of 2,502 is a warning; one of 2 makes the service unhealthy', () => {
    expect(serviceHealth(healthy(2502, { unhealthy: 1, openBreakers: 1 }))).toEqual({ health: 'warn', reasons: ['1 of 2,502 breakers open'], headline: '1 of 2,502 breakers open' });
    const two = serviceHealth(healthy(2, { unhealthy: 1, openBreakers: 1 }));
    expect(two.health).toBe('bad');
    expect(two.reasons).toEqual(['1 of 2 instances unhealthy (50 %, from 10 % the service is)', '1 of 2 breakers open']);
    expect(two.headline).toBe('1 of 2 instances');
  });

  it('turns unhealthy at 10 % of its instances, not before', () => {
    const at = (unhealthy: number, instances: number) => serviceHealth(healthy(instances, { unhealthy, degraded: unhealthy, severelyDegraded: unhealthy, maxDegradation: 3 })).health;
    expect(at(250, 2502)).toBe('warn');
    expect(at(251, 2502)).toBe('bad');
    expect(at(1, 11)).toBe('warn');
    expect(at(1, 10)).toBe('bad');
  });

  it('counts distinct unhealthy instances, not the sum of overlapping conditions', () => {
    // 150 degraded and 150 behind an open breaker, the same 150 instances: 6 %, a warning.
    const v = serviceHealth(healthy(2502, { unhealthy: 150, degraded: 150, severelyDegraded: 0, maxDegradation: 1, openBreakers: 150 }));
    expect(v).toEqual({ health: 'warn', reasons: ['150 of 2,502 breakers open', '150 of 2,502 degraded (L1)'], headline: '150 of 2,502 unhealthy' });
  });

  it('says "up to" when the degraded instances are at different levels', () => {
    expect(serviceHealth(healthy(40, { unhealthy: 3, degraded: 3, severelyDegraded: 1, maxDegradation: 3 })).reasons).toEqual(['3 of 40 degraded (up to L3)']);
  });

  it('down instances count; every instance down is unhealthy', () => {
    expect(serviceHealth(healthy(2502, { up: 2501, unhealthy: 1 }))).toEqual({ health: 'warn', reasons: ['1 of 2,502 down'], headline: '1 of 2,502 down' });
    expect(serviceHealth(healthy(4, { up: 0, unhealthy: 4 }))).toEqual({ health: 'bad', reasons: ['every instance is down (0 of 4 up)'], headline: '0 of 4 up' });
  });

  it('judges errors by the share of requests: 1 % a warning, 5 % unhealthy', () => {
    expect(serviceHealth(healthy(10, { errorPercent: 0.99 })).health).toBe('ok');
    expect(serviceHealth(healthy(10, { errorPercent: 1 }))).toEqual({ health: 'warn', reasons: ['errors 1 % of requests'], headline: 'errors 1 %' });
    expect(serviceHealth(healthy(10, { errorPercent: 4.99 })).health).toBe('warn');
    expect(serviceHealth(healthy(10, { errorPercent: 5 }))).toEqual({ health: 'bad', reasons: ['errors 5 % of requests'], headline: 'errors 5 %' });
  });

  it('half-open breakers, backpressure, a slow P95 and injected faults are warnings at any share', () => {
    const v = serviceHealth(healthy(4, { halfOpenBreakers: 4, backpressured: 4, p95Ms: 1201, faultedInstances: 4 }));
    expect(v).toEqual({
      health: 'warn',
      reasons: ['4 of 4 breakers half-open', '4 of 4 backpressured (a stage ≥ 85 % full)', 'P95 1201 ms over 1200 ms', '4 of 4 with injected faults'],
      headline: '4 of 4 breakers half-open',
    });
    expect(serviceHealth(healthy(4, { p95Ms: 1200 })).health).toBe('ok');
  });
});
