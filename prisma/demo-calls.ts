// The demo platform's declared call graph (ServiceCall): the same edges the simulator's `calls`
// setting would run (DEMO_CALLS), declared so the service graph can draw them even though the
// demo's simulator keeps `calls` off (turning it on would change the demo's calibration).
import type { DbOrTx } from '../server/db/client';
import { DEMO_CALLS } from '../server/platform/sim/calls';

/** Declares DEMO_CALLS between the services that exist (a missing service's edges are left out). */
export async function seedDemoCalls(tx: DbOrTx, calls: Readonly<Record<string, readonly string[]>> = DEMO_CALLS): Promise<number> {
  const names = [...new Set(Object.entries(calls).flatMap(([caller, callees]) => [caller, ...callees]))];
  const ids = new Map((await tx.service.findMany({ where: { name: { in: names } }, select: { id: true, name: true } })).map((s) => [s.name, s.id]));
  const data = Object.entries(calls).flatMap(([caller, callees]) =>
    callees.flatMap((callee) => {
      const callerId = ids.get(caller);
      const calleeId = ids.get(callee);
      return callerId && calleeId ? [{ callerId, calleeId }] : [];
    }),
  );
  const { count } = await tx.serviceCall.createMany({ data, skipDuplicates: true });
  return count;
}
