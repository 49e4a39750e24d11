// The one list of platform kinds: kind → configuration schema → constructor. Settings, the
// worker, SWITCHBACK_PLATFORM and the tests all build adapters here, so a new kind is one entry.
import type { z } from 'zod';
import type { PlatformAdapter } from './adapter';
import { createHaproxyAdapter, haproxyConfigSchema } from './haproxy';
import { createPrometheusSource } from './prometheus';
import { createSimAdapter, describeIssues, simConfigSchema } from './sim';

export interface AdapterLogger {
  debug: (line: string) => void;
}

export interface AdapterKindEntry {
  /** What the Settings page calls it. */
  label: string;
  configSchema: z.ZodType;
  create(config: unknown, logger: AdapterLogger): PlatformAdapter;
}

export const ADAPTER_REGISTRY = {
  sim: {
    label: 'Built-in simulator',
    configSchema: simConfigSchema,
    create(config) {
      const parsed = simConfigSchema.safeParse(config ?? {});
      if (!parsed.success) throw new Error(describeIssues(parsed.error));
      return createSimAdapter(parsed.data);
    },
  },
  haproxy: {
    label: 'HAProxy (+ Prometheus)',
    configSchema: haproxyConfigSchema,
    create(config, logger) {
      const metricsConfig = (config as { metrics?: unknown } | null)?.metrics;
      return createHaproxyAdapter(config, { logger, metrics: metricsConfig ? createPrometheusSource(metricsConfig, logger) : undefined });
    },
  },
} satisfies Record<string, AdapterKindEntry>;

export type AdapterKind = keyof typeof ADAPTER_REGISTRY;
export const ADAPTER_KINDS = Object.keys(ADAPTER_REGISTRY) as [AdapterKind, ...AdapterKind[]];

export const isAdapterKind = (k: string): k is AdapterKind => Object.hasOwn(ADAPTER_REGISTRY, k);

export interface AdapterSpec {
  name: string;
  kind: string;
  config: unknown;
}

const silent: AdapterLogger = { debug: () => undefined };

/** Parses the configuration (problems in words) and builds the adapter; nothing connects yet. */
export function createAdapter(cfg: AdapterSpec, logger: AdapterLogger = silent): PlatformAdapter {
  if (!isAdapterKind(cfg.kind)) throw new Error(`adapter "${cfg.name}" has kind "${cfg.kind}", which this worker does not know (known: ${ADAPTER_KINDS.join(', ')})`);
  const entry: AdapterKindEntry = ADAPTER_REGISTRY[cfg.kind];
  return entry.create(cfg.config, logger);
}
