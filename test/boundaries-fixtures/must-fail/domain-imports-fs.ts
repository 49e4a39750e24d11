// lint-as: server/domain/__boundaries_fixture__.ts
import { readFileSync } from 'fs';
export const x = readFileSync;
