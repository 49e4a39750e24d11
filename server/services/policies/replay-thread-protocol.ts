// The messages between the preview and its replay thread (replay-thread.ts).
import type { FirstStates } from '../telemetry/telemetry-pack';
import type { ServicePolicies } from './replay-counts';

export type ThreadRequest =
  | { type: 'start'; job: number; from: number; to: number; parts: number }
  /**
   * A chunk: its instances' records, `start`..`end` (in records) of `buffer`, which the preview
   * does not write again until the chunk's answer is in. `services`: the policies of services
   * not sent before in this job.
   */
  | {
      type: 'chunk';
      job: number;
      seq: number;
      buffer: SharedArrayBuffer;
      items: Array<{ id: string; serviceId: string; adminState: string; start: number; end: number }>;
      firsts: Array<FirstStates | undefined>;
      services: Array<[string, ServicePolicies]>;
    }
  | { type: 'end'; job: number };

export type ThreadAnswer =
  | { type: 'ready' }
  | { type: 'counts'; job: number; seq: number; counts: Int32Array }
  | { type: 'failed'; job: number; seq: number; message: string };
