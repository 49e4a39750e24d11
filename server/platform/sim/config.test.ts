import { describe, expect, it } from 'vitest';
import { createSimAdapter } from './adapter';
import { DEFAULT_HEADER_MIX, describeIssues, simConfigSchema, simControlsSchema } from './config';
import { diurnalFactor, nextPeak } from './demand';

describe('simConfigSchema', () => {
  it('fills in the demo defaults', () => {
    const c = simConfigSchema.parse({});
    expect(c.seed).toBe(42);
    expect(c.hotZone).toBe('eu-west-b');
    expect(c.hotZoneCapacity).toBeGreaterThan(0.4);
    expect(c.hotZoneCapacity).toBeLessThan(0.7);
    expect(c.capacityRps).toBe(500);
    expect(c.headerMix).toEqual(DEFAULT_HEADER_MIX);
    expect(c.headerMix['X-Abtest-Group=v2-canary']).toBe(0.03);
    expect(c.diurnalPeriodS).toBe(86_400);
    expect(Object.keys(c.demandRps).sort()).toEqual(['edge-gateway', 'inventory-svc', 'order-api', 'payment-svc']);
    // Defaults are fresh objects: changing one parse's result never leaks into the next.
    c.demandRps['order-api'] = 1;
    expect(simConfigSchema.parse({}).demandRps['order-api']).not.toBe(1);
  });

  it('refuses unknown settings, naming them and the known ones', () => {
    const r = simConfigSchema.safeParse({ sed: 1 });
    expect(r.success).toBe(false);
    const msg = describeIssues(r.error!);
    expect(msg).toContain('"sed"');
    expect(msg).toContain('known: seed');
  });

  it('explains bad values field by field', () => {
    const r = simConfigSchema.safeParse({ capacityRps: -5, headerMix: { 'no-equals-sign': 0.1 }, diurnalPeriodS: 10, hotZone: null });
    expect(r.success).toBe(false);
    const msg = describeIssues(r.error!);
    expect(msg).toContain('capacityRps: expected a positive number');
    expect(msg).toContain('headerMix: expected keys of the form Header=value');
    expect(msg).toContain('diurnalPeriodS: expected at least 60 seconds');
    expect(msg).not.toContain('hotZone');
  });

  it('is enforced by createSimAdapter', () => {
    expect(() => createSimAdapter({ ...simConfigSchema.parse({}), capacityRps: 0 })).toThrow(/capacityRps: expected a positive number/);
  });
});

describe('simControlsSchema', () => {
  const until = '2030-01-01T12:00:00Z';

  it('accepts demand and stress controls with an expiry', () => {
    const c = simControlsSchema.parse({ demand: [{ serviceId: 's', factor: 2, until }], stress: [{ instanceId: 'i', cpuPct: 40, until: '2030-01-01T12:00:00+02:00' }] });
    expect(c.demand).toHaveLength(1);
    expect(c.stress[0]!.cpuPct).toBe(40);
    expect(simControlsSchema.parse({})).toEqual({ demand: [], stress: [], versions: [] });
  });

  it('refuses a control without a valid expiry, a negative factor and unknown fields', () => {
    expect(describeIssues(simControlsSchema.safeParse({ demand: [{ serviceId: 's', factor: 2, until: 'tomorrow' }] }).error!)).toContain('until: expected an ISO date-time');
    expect(describeIssues(simControlsSchema.safeParse({ demand: [{ serviceId: 's', factor: 2 }] }).error!)).toContain('until');
    expect(describeIssues(simControlsSchema.safeParse({ demand: [{ serviceId: 's', factor: -1, until }] }).error!)).toContain('factor: expected a multiplier');
    expect(describeIssues(simControlsSchema.safeParse({ stress: [{ instanceId: 'i', cpuPct: 40, until, forever: true }] }).error!)).toContain('"forever"');
    expect(describeIssues(simControlsSchema.safeParse({ surge: [] }).error!)).toContain('"surge"');
  });
});

describe('diurnal curve', () => {
  const cfg = simConfigSchema.parse({ diurnalPeriodS: 600 });

  it('peaks at 1 and bottoms at 1 − depth half a period later', () => {
    const peak = nextPeak(Date.UTC(2030, 0, 1), cfg);
    expect(diurnalFactor(peak, cfg)).toBeCloseTo(1, 9);
    expect(diurnalFactor(peak + 300_000, cfg)).toBeCloseTo(1 - cfg.diurnalDepth, 9);
    expect(diurnalFactor(peak + 600_000, cfg)).toBeCloseTo(1, 9);
    expect(diurnalFactor(peak + 150_000, cfg)).toBeCloseTo(1 - cfg.diurnalDepth / 2, 9);
  });

  it('refuses a header mix whose fractions of one header add up to more than 1', () => {
    const r = simConfigSchema.safeParse({ headerMix: { 'X-Device-Type=ios': 0.6, 'x-device-type=web': 0.5, 'X-Abtest-Group=v2-canary': 0.5 } });
    expect(r.success).toBe(false);
    expect(describeIssues(r.error!)).toBe('headerMix: the fractions of x-device-type add up to more than 1');
  });
});
