// lint-as: server/domain/__boundaries_fixture__.ts
import pg from 'pg';
export const x = pg;
