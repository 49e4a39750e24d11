// lint-as: components/overview/__boundaries_fixture__.tsx
import { run } from 'graphile-worker';
export const x = run;
