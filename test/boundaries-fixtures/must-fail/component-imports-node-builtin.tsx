// lint-as: components/overview/__boundaries_fixture__.tsx
import { readFileSync } from 'node:fs';
export const x = readFileSync;
