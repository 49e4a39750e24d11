// `npm run bench -- chaos` (issue 12): fault recovery and fault fidelity figures. Each part lives
// in its own module so that the figures of other parts of the issue join here with one line.
import { haltToFaultGone, haproxyDelayFidelity, workerKillToFaultGone } from './chaos-recovery';
import { simDelayFidelity } from './chaos-sim';

export async function run(): Promise<Record<string, unknown>> {
  return {
    bench: 'chaos',
    simDelayFidelity: [await simDelayFidelity({ kind: 'delay', delayMs: 200, jitterMs: 0 }, 120), await simDelayFidelity({ kind: 'delay', delayMs: 200, jitterMs: 300 }, 120)],
    workerSigkillToFaultGoneHaproxy: await workerKillToFaultGone(3, 15_000),
    haltEngagedToFaultGoneHaproxy: await haltToFaultGone(10),
    haproxyDelayFidelity: [await haproxyDelayFidelity({ kind: 'delay', delayMs: 200, jitterMs: 0 }, 8), await haproxyDelayFidelity({ kind: 'delay', delayMs: 200, jitterMs: 300 }, 16)],
  };
}
