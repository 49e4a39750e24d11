/**
 * A time as PostgreSQL's `timestamp` text for our columns, which hold UTC without a time zone (as
 * Prisma writes them). node-pg would send a Date in the process's local zone instead.
 */
export const pgUtc = (t: Date | number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');
