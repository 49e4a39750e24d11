import type { Db } from '../../db/client';
import { createAdapter } from './active-adapter';
import type { PlatformCapabilities } from '../../platform/adapter';

export interface AdapterRow {
  id: string;
  name: string;
  kind: string;
  active: boolean;
  version: number;
  config: unknown;
  updatedAt: Date;
  capabilities: PlatformCapabilities | null;
  /** Why capabilities could not be read (unknown kind, invalid stored config). */
  problem: string | null;
}

/** The stored adapter configurations and what each platform can do (for greying out the UI). */
export async function listAdapters(db: Db): Promise<AdapterRow[]> {
  const rows = await db.adapterConfig.findMany({ orderBy: [{ active: 'desc' }, { name: 'asc' }] });
  return Promise.all(
    rows.map(async (r) => {
      try {
        // Building an adapter only parses its configuration; nothing connects until setFleet/read.
        const a = createAdapter({ id: r.id, name: r.name, kind: r.kind, config: r.config });
        const capabilities = a.capabilities();
        await a.close();
        return { id: r.id, name: r.name, kind: r.kind, active: r.active, version: r.version, config: r.config, updatedAt: r.updatedAt, capabilities, problem: null };
      } catch (err) {
        return { id: r.id, name: r.name, kind: r.kind, active: r.active, version: r.version, config: r.config, updatedAt: r.updatedAt, capabilities: null, problem: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}
