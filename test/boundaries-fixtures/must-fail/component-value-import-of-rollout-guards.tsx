// lint-as: components/rollouts/__boundaries_fixture__.tsx
import { evaluateGuards } from '@/server/domain/rollouts/guards';
export const x = evaluateGuards;
