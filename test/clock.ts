/**
 * A daily cron (UTC) whose occurrence is 12 hours from now: a freeze window or a schedule made
 * with it is never in force or due while a test runs. A fixed one ('0 2 * * 6' once) was, on the
 * days and hours the suite happened to run then.
 */
export const dailyCronHalfADayAway = (now = new Date()) => `0 ${(now.getUTCHours() + 12) % 24} * * *`;
