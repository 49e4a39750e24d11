// lint-as: server/platform/__boundaries_fixture__.ts
import type { Db } from '../db/client';
export type X = Db;
