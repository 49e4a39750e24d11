import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { databaseUrl } from '../env';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export function createDb(url: string, max = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}

// One client per process; Next.js dev re-evaluates modules, so keep it on globalThis.
const holder = globalThis as unknown as { __switchbackDb?: Db };

export function db(): Db {
  holder.__switchbackDb ??= createDb(databaseUrl());
  return holder.__switchbackDb;
}
