// lint-as: components/overview/__boundaries_fixture__.tsx
import pg from 'pg';
export const x = pg;
