// lint-as: cli/commands/__boundaries_fixture__.ts
import { createRollout } from '../../server/services/rollouts/rollout-commands';
export const x = createRollout;
