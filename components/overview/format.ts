// Pure formatting for the overview tables (tested in format.test.ts).

/** "10,004": counts read the same as on Topology. */
export const formatCount = (n: number) => n.toLocaleString('en-US');

/** "3 zones", "1,440 instances". */
export const plural = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? '' : 's'}`;

/** "v1 ×25 · v2 ×5", versions in natural order (v2 before v10). */
export function formatVersions(byAppVersion: Record<string, number>): string {
  const entries = Object.entries(byAppVersion).filter(([, n]) => n > 0);
  if (!entries.length) return '—';
  return entries
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([v, n]) => `${v} ×${formatCount(n)}`)
    .join(' · ');
}

/** Registry version and whether the workers have converged the platform to it yet. */
export function registryStatus(version: number, appliedVersion: number): { label: string; applied: boolean } {
  const applied = appliedVersion >= version;
  return { label: `v${version} ${applied ? '(applied)' : '(applying…)'}`, applied };
}

/** Instances by admin state in a fixed, meaningful order (ready first), unknown states last. */
export function orderedStates(byState: Record<string, number>): Array<[string, number]> {
  const order = ['ready', 'drain', 'maint'];
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return Object.entries(byState).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
