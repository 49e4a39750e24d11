// The domain's cron (server/domain/safety/cron.ts) in the Date-based shape the schedules and the
// freeze list use. Freeze windows themselves go through server/domain/safety/freeze.ts (freeze.ts).
import { nextTimesOf, parseCron } from '../../domain/safety/cron';

export { parseCron };

/** The next `n` times (strictly after `from`, whole minutes, UTC) the cron fires; [] when it does not parse. */
export function cronTimesAfter(expr: string, from: Date, n: number): Date[] {
  return nextTimesOf(expr, from.getTime(), n).map((ms) => new Date(ms));
}
