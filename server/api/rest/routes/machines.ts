// The state machines and the timeline over REST (reads): a machine's view over a time range,
// edge transitions, its history in buckets, who is in a state now, and the merged timeline.
// Times are epoch milliseconds in the query (?from=&to=; default: the last hour).
import type { z } from 'zod';
import { edgeTransitionsInput, machineViewInput } from '../../../services/machines/machines';
import { inStateInput, machineHistoryInput } from '../../../services/machines/machine-fleet';
import type { ProcedureRoute } from '../route';
import { defined, queryList, queryNumbers, queryTexts, type RawRequest } from './map-input';

const HOUR_MS = 3_600_000;
const SCOPE_TEXTS = ['instance', 'stage', 'rollout', 'run', 'serviceId', 'zoneId', 'regionId', 'clusterId'] as const;

/** The time range and topology scope every machine read takes. */
function scopeOf(raw: RawRequest) {
  const now = Date.now();
  const n = queryNumbers(raw, ['from', 'to']);
  return { from: n.from ?? now - HOUR_MS, to: n.to ?? now, ...queryTexts(raw, SCOPE_TEXTS) };
}

// Each route's requestSchema is the procedure's input with from/to optional (they default to the last hour).
const machineRead = (
  suffix: string,
  procedure: string,
  operationId: string,
  summary: string,
  requestSchema: z.ZodType,
  extra: (raw: RawRequest) => Record<string, unknown> = () => ({}),
): ProcedureRoute => ({
  method: 'GET',
  path: `/machines/{machine}${suffix}`,
  procedure,
  operationId,
  summary,
  tag: 'machines',
  mapInput: (raw: RawRequest) => defined({ machine: raw.params.machine, ...scopeOf(raw), ...extra(raw) }),
  requestSchema,
});

export const machineRoutes: ProcedureRoute[] = [
  machineRead('', 'machines.view', 'getMachineView', 'A machine (stage, degradation, breaker, rollout, experiment): states, edges with counts, over ?from=&to=.', machineViewInput.partial({ from: true, to: true })),
  machineRead('/transitions', 'machines.transitions', 'listMachineTransitions', 'The transitions along one edge (?fromState=&toState=&limit=).', edgeTransitionsInput.partial({ from: true, to: true }), (raw) => ({ ...queryTexts(raw, ['fromState', 'toState']), ...queryNumbers(raw, ['limit']) })),
  machineRead('/history', 'machines.history', 'getMachineHistory', 'How many were in each state over time (?buckets=).', machineHistoryInput.partial({ from: true, to: true }), (raw) => queryNumbers(raw, ['buckets'])),
  machineRead('/in-state', 'machines.inState', 'listInState', 'Who is in a state now (?state=&limit=).', inStateInput.partial({ from: true, to: true }), (raw) => ({ ...queryTexts(raw, ['state']), ...queryNumbers(raw, ['limit']) })),
  {
    method: 'GET',
    path: '/timeline',
    procedure: 'timeline.events',
    operationId: 'listTimelineEvents',
    summary: 'Everything that happened over ?from=&to= (epoch ms), merged: machines, policies, changes, rollouts, experiments, safety (?kinds=a,b&limit=).',
    tag: 'timeline',
    mapInput: (raw: RawRequest) => {
      const now = Date.now();
      const n = queryNumbers(raw, ['from', 'to', 'limit']);
      return defined({
        from: n.from ?? now - HOUR_MS,
        to: n.to ?? now,
        limit: n.limit,
        kinds: queryList(raw, 'kinds'),
        weightTriggers: queryList(raw, 'weightTriggers'),
        ...queryTexts(raw, ['instanceId', 'serviceId', 'zoneId', 'regionId', 'clusterId']),
      });
    },
  },
];
