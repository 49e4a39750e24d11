// What the banner on every page and the safety page read: the halt (engaged or the last release)
// and the freeze windows active now, for rollouts and for experiments.
import type { Db } from '../../db/client';
import { activeFreezesOf, freezeWords, liveWindows } from './freeze';
import { haltStatus } from './halt';

export async function safetyStatus(db: Db) {
  const now = new Date();
  const [halt, windows] = await Promise.all([haltStatus(db), liveWindows(db)]);
  const active = new Map([...activeFreezesOf(windows, now, 'rollouts'), ...activeFreezesOf(windows, now, 'experiments')].map((f) => [f.window.id, f]));
  return {
    ...halt,
    activeFreezes: [...active.values()].map((f) => ({
      id: f.window.id,
      name: f.window.name,
      reason: f.window.reason,
      startsAt: f.startsAt,
      endsAt: f.endsAt,
      appliesToRollouts: f.window.appliesToRollouts,
      appliesToExperiments: f.window.appliesToExperiments,
      words: freezeWords(f),
    })),
    at: now,
  };
}
