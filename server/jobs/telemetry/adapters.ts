import type pg from 'pg';
import type { PlatformAdapter } from '../../platform/adapter';
import { createHaproxyAdapter } from '../../platform/haproxy';
import { createPrometheusSource } from '../../platform/prometheus';
import { env } from '../../env';
import { createSimAdapter, describeIssues, simConfigSchema, simControlsSchema, type SimAdapter } from '../../platform/sim';
import { SIM_CONTROLS_KEY } from '../../services/sim-control';

export interface ActiveAdapterConfig {
  id: string | null;
  name: string;
  kind: string;
  config: unknown;
}

/** The adapter the worker drives: the active AdapterConfig row, or the simulator's defaults. */
export async function activeAdapterConfig(q: pg.Pool | pg.ClientBase): Promise<ActiveAdapterConfig> {
  const { rows } = await q.query<ActiveAdapterConfig>('SELECT id, name, kind, config FROM "AdapterConfig" WHERE active ORDER BY "updatedAt" DESC LIMIT 1');
  return rows[0] ?? { id: null, name: 'simulator (defaults)', kind: 'sim', config: {} };
}

/** Every command an adapter sends, at SWITCHBACK_LOG_LEVEL=debug. */
function debugLogger() {
  const on = (() => {
    try {
      return env().SWITCHBACK_LOG_LEVEL === 'debug';
    } catch {
      return false;
    }
  })();
  return { debug: on ? (line: string) => console.debug(`[adapter] ${line}`) : () => undefined };
}

/** Changes whenever another configuration becomes active or the active one is edited. */
export async function activeAdapterKey(q: pg.Pool | pg.ClientBase): Promise<string> {
  const { rows } = await q.query<{ k: string }>(`SELECT id::text || ':' || version AS k FROM "AdapterConfig" WHERE active ORDER BY "updatedAt" DESC LIMIT 1`);
  return rows[0]?.k ?? 'defaults';
}

export function createAdapter(cfg: ActiveAdapterConfig): PlatformAdapter {
  switch (cfg.kind) {
    case 'sim': {
      const parsed = simConfigSchema.safeParse(cfg.config ?? {});
      if (!parsed.success) throw new Error(describeIssues(parsed.error));
      return createSimAdapter(parsed.data);
    }
    case 'haproxy': {
      const metricsConfig = (cfg.config as { metrics?: unknown } | null)?.metrics;
      const logger = debugLogger();
      return createHaproxyAdapter(cfg.config, { logger, metrics: metricsConfig ? createPrometheusSource(metricsConfig, logger) : undefined });
    }
    default:
      throw new Error(`adapter "${cfg.name}" has kind "${cfg.kind}", which this worker does not know`);
  }
}

const isSim = (a: PlatformAdapter): a is SimAdapter => a.kind === 'sim';

/** Hands the stored simulator controls to the simulator before each tick (no-op for others). */
export async function feedSimControls(adapter: PlatformAdapter, q: pg.Pool): Promise<void> {
  if (!isSim(adapter)) return;
  const { rows } = await q.query<{ value: unknown }>('SELECT value FROM "SystemSetting" WHERE key = $1', [SIM_CONTROLS_KEY]);
  const parsed = simControlsSchema.safeParse(rows[0]?.value ?? { demand: [], stress: [] });
  adapter.setControls(parsed.success ? parsed.data : { demand: [], stress: [] });
}
