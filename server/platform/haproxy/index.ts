import { describeHaproxyIssues, haproxyConfigSchema } from './config';
import { HaproxyAdapter, type HaproxyAdapterOptions } from './adapter';

export { HaproxyAdapter, type MetricsSource } from './adapter';
export { haproxyConfigSchema, type HaproxyConfig, type HaproxyConfigInput } from './config';
export { HaproxyError, RuntimeClient } from './runtime-client';
export { generateHaproxyLab, faultRules, type LabSpec } from './generate';

/** Parses the stored configuration (problems in words) and builds the adapter; nothing connects yet. */
export function createHaproxyAdapter(config: unknown, opts?: HaproxyAdapterOptions): HaproxyAdapter {
  const parsed = haproxyConfigSchema.safeParse(config);
  if (!parsed.success) throw new Error(describeHaproxyIssues(parsed.error));
  return new HaproxyAdapter(parsed.data, opts);
}
