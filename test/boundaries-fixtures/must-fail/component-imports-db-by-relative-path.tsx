// lint-as: components/overview/__boundaries_fixture__.tsx
import { db } from '../../server/db/client';
export const x = db;
