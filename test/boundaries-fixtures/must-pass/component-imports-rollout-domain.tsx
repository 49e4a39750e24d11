// lint-as: components/rollouts/__boundaries_fixture__.tsx
import { rolloutSpecSchema } from '@/server/domain/rollouts/spec';
import { parseSpecYaml } from '../../server/domain/rollouts/yaml';
import { routingAt } from '@/server/domain/rollouts/plan';
import { STATE_LABELS } from '@/server/domain/rollouts/machine';
import { capabilityRefusals } from '@/server/domain/rollouts/refusals';
import { decisionRefusal } from '@/server/domain/rollouts/approvals';
export const x = [rolloutSpecSchema, parseSpecYaml, routingAt, STATE_LABELS, capabilityRefusals, decisionRefusal];
