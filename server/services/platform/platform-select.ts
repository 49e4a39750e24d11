// SWITCHBACK_PLATFORM at start-up: make a platform active without opening Settings, e.g.
// `SWITCHBACK_PLATFORM=lab npm start` after `npm run lab`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/client';
import { AppError } from '../../errors';
import type { Actor } from '../command';
import { activateAdapterConfig, ADAPTER_KINDS, importPlatformTopology, saveAdapterConfig } from './platform-configs';

const SYSTEM: Actor = { id: null, name: 'system (SWITCHBACK_PLATFORM)' };

export interface PlatformSelection {
  name: string;
  kind: string;
  /** What the registry import did (real platforms only). */
  imported: { services: number; instances: number; updated: number } | null;
}

/** Where `npm run lab` writes the adapter configuration for its platform. */
export const labAdapterFile = (dataDir: string) => path.join(dataDir, 'lab', 'adapter.json');

/**
 * Reads the selection, stores it as an adapter configuration, activates it and, for a real
 * platform, imports its instances into the registry. Throws AppError in words when the file is
 * missing or invalid or the platform cannot be reached, so start-up stops with a reason.
 */
export async function selectPlatform(db: Db, value: string, dataDir: string): Promise<PlatformSelection> {
  let name: string;
  let kind: string;
  let config: Record<string, unknown>;
  if (value === 'sim') {
    const row = await db.adapterConfig.findFirst({ where: { kind: 'sim' }, orderBy: { createdAt: 'asc' } });
    name = row?.name ?? 'simulator';
    kind = 'sim';
    config = (row?.config as Record<string, unknown> | null) ?? {};
  } else {
    const file = value === 'lab' ? labAdapterFile(dataDir) : path.resolve(value);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new AppError('BAD_REQUEST', value === 'lab' ? `SWITCHBACK_PLATFORM=lab: ${file} does not exist. Start the lab first (npm run lab, in another terminal).` : `SWITCHBACK_PLATFORM: cannot read ${file}.`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new AppError('BAD_REQUEST', `SWITCHBACK_PLATFORM: ${file} is not JSON (${err instanceof Error ? err.message : String(err)}).`);
    }
    // Either { name?, kind, config } or a bare HAProxy adapter configuration (what the lab writes).
    const d = (doc ?? {}) as { name?: unknown; kind?: unknown; config?: unknown };
    const wrapped = typeof d.kind === 'string' && typeof d.config === 'object' && d.config !== null;
    kind = wrapped ? (d.kind as string) : 'haproxy';
    config = (wrapped ? d.config : doc) as Record<string, unknown>;
    name = typeof d.name === 'string' ? d.name : value === 'lab' ? 'lab' : path.basename(file, '.json');
  }
  const known = ADAPTER_KINDS.find((k) => k === kind);
  if (!known) throw new AppError('BAD_REQUEST', `SWITCHBACK_PLATFORM: unknown adapter kind "${kind}" (known: ${ADAPTER_KINDS.join(', ')}).`);
  const existing = await db.adapterConfig.findUnique({ where: { name } });
  const saved = await saveAdapterConfig(db, SYSTEM, { id: existing?.id, version: existing?.version, name, kind: known, config });
  const imported = kind === 'sim' ? null : await importPlatformTopology(db, SYSTEM, { id: saved.id });
  if (!existing?.active || existing.kind !== kind) await activateAdapterConfig(db, SYSTEM, { id: saved.id, version: saved.version });
  return { name, kind, imported };
}
