// lint-as: cli/__boundaries_fixture__.ts
import { dbTimeouts } from '../server/db/client';
export const x = dbTimeouts;
