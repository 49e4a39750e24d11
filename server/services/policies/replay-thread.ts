// The what-if replay's second thread (started by replay-thread-pool.ts): it counts the stage,
// watermark and breaker transitions of each chunk of instances (replay-counts.ts) while the
// preview's own thread reads the next chunks and steps the weights. The records are read in place
// from the chunk's shared memory; the answer is one Int32Array per chunk.
import { parentPort } from 'node:worker_threads';
import { clearTransitionCounts, newTransitionCounts } from '../../domain/step-counts';
import { RECORD, RecordTelemetry } from '../telemetry/pack-values';
import { countInstance, countsInto, COUNTS_PER_INSTANCE, type ServicePolicies } from './replay-counts';
import type { ThreadAnswer, ThreadRequest } from './replay-thread-protocol';

const port = parentPort;
if (port === null) throw new Error('replay-thread.ts runs as a worker thread');

// Per preview: its window and the policies of each service seen so far.
const jobs = new Map<number, { from: number; to: number; parts: number; services: Map<string, ServicePolicies> }>();
const reader = new RecordTelemetry();
const base = newTransitionCounts();
const draft = newTransitionCounts();

port.on('message', (m: ThreadRequest) => {
  if (m.type === 'start') {
    jobs.set(m.job, { from: m.from, to: m.to, parts: m.parts, services: new Map() });
    return;
  }
  if (m.type === 'end') {
    jobs.delete(m.job);
    return;
  }
  const job = jobs.get(m.job);
  try {
    if (job === undefined) throw new Error(`no preview ${m.job} on the replay thread`);
    for (const [id, p] of m.services) job.services.set(id, p);
    const v = new Float64Array(m.buffer);
    const out = new Int32Array(m.items.length * COUNTS_PER_INSTANCE);
    for (let k = 0; k < m.items.length; k++) {
      const it = m.items[k]!;
      const pol = job.services.get(it.serviceId);
      if (pol === undefined) throw new Error(`no policies for service ${it.serviceId}`);
      clearTransitionCounts(base);
      clearTransitionCounts(draft);
      countInstance(v.subarray(it.start * RECORD, it.end * RECORD), it, m.firsts[k], pol, job, reader, base, draft);
      countsInto(base, out, k * COUNTS_PER_INSTANCE);
      countsInto(draft, out, k * COUNTS_PER_INSTANCE + COUNTS_PER_INSTANCE / 2);
    }
    port.postMessage({ type: 'counts', job: m.job, seq: m.seq, counts: out } satisfies ThreadAnswer, [out.buffer]);
  } catch (e) {
    port.postMessage({ type: 'failed', job: m.job, seq: m.seq, message: e instanceof Error ? e.message : String(e) } satisfies ThreadAnswer);
  }
});
port.postMessage({ type: 'ready' } satisfies ThreadAnswer);
