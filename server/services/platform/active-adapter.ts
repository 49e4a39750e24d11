import type pg from 'pg';
import type { PlatformAdapter } from '../../platform/adapter';
import { createAdapter as build, type AdapterSpec } from '../../platform/registry';
import { simControlsSchema, type SimAdapter } from '../../platform/sim';
import { env } from '../../env';
import { SIM_CONTROLS_KEY } from './sim-control';

export interface ActiveAdapterConfig extends AdapterSpec {
  id: string | null;
}

/** The adapter the worker drives: the active AdapterConfig row, or the simulator's defaults. */
export async function activeAdapterConfig(q: pg.Pool | pg.ClientBase): Promise<ActiveAdapterConfig> {
  const { rows } = await q.query<ActiveAdapterConfig>('SELECT id, name, kind, config FROM "AdapterConfig" WHERE active ORDER BY "updatedAt" DESC LIMIT 1');
  return rows[0] ?? { id: null, name: 'simulator (defaults)', kind: 'sim', config: {} };
}

/** Changes whenever another configuration becomes active or the active one is edited. */
export async function activeAdapterKey(q: pg.Pool | pg.ClientBase): Promise<string> {
  const { rows } = await q.query<{ k: string }>(`SELECT id::text || ':' || version AS k FROM "AdapterConfig" WHERE active ORDER BY "updatedAt" DESC LIMIT 1`);
  return rows[0]?.k ?? 'defaults';
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

/** Builds the adapter for a stored configuration, logging its commands at debug level. */
export function createAdapter(cfg: AdapterSpec & { id?: string | null }): PlatformAdapter {
  return build(cfg, debugLogger());
}

const isSim = (a: PlatformAdapter): a is SimAdapter => a.kind === 'sim';

/** Hands the stored simulator controls to the simulator before each tick (no-op for others). */
export async function feedSimControls(adapter: PlatformAdapter, q: pg.Pool): Promise<void> {
  if (!isSim(adapter)) return;
  const { rows } = await q.query<{ value: unknown }>('SELECT value FROM "SystemSetting" WHERE key = $1', [SIM_CONTROLS_KEY]);
  const parsed = simControlsSchema.safeParse(rows[0]?.value ?? {});
  adapter.setControls(parsed.success ? parsed.data : {});
}
