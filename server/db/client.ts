import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { databaseUrl } from '../env';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(url: string, max = 10): Db {
  // Our own pool (ended by $disconnect) so the few bulk reads Prisma makes slow — bytea columns,
  // which it copies byte by byte — share its connections and limits.
  const pool = new pg.Pool({ connectionString: url, max });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/** The pg pool behind a client made by createDb. */
export function pgPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this database client was not made by createDb: no pg pool behind it');
  return pool;
}

// One client per process; Next.js dev re-evaluates modules, so keep it on globalThis.
const holder = globalThis as unknown as { __switchbackDb?: Db };

export function db(): Db {
  holder.__switchbackDb ??= createDb(databaseUrl());
  return holder.__switchbackDb;
}
