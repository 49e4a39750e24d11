// Topics of the live feed. The client maps each to the cache entries it changes
// (components/live/apply-event.ts); keep the two in step.
export const LIVE_CHANNEL = 'switchback_live';

export const LIVE_TOPICS = ['user.changed', 'service.changed', 'topology.changed', 'audit.appended', 'worker.changed', 'policy.changed'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export interface LiveEventData {
  id: string;
  at: string;
  topic: LiveTopic;
  payload: Record<string, unknown>;
}
