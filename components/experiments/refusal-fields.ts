// The preview answers its refusals as sentences (server/domain/experiments/selection.ts,
// refusals.ts). The editor also shows the ones that are about one field next to that field, so
// an author sees "over the blast-radius cap" beside "Max % of a service". Matching is on the words
// the domain writes; a refusal that matches nothing stays in the preview's list only (it is shown
// there in any case). Pure; unit-tested.

/** The form field a refusal is about (a DraftErrors key), or null. */
export function refusalField(refusal: string): string | null {
  if (refusal.includes('over the blast-radius cap')) {
    // "zone eu-a: …" / "cluster c1: …", whether the experiment's cap or the admin's maximum refused it.
    if (refusal.startsWith('zone ') || refusal.includes("experiment's zone cap")) return 'spec.blastRadius.maxZonePct';
    if (refusal.startsWith('cluster ') || refusal.includes("experiment's cluster cap")) return 'spec.blastRadius.maxClusterPct';
    return 'spec.blastRadius.maxServicePct';
  }
  if (refusal.startsWith('The selection asks for')) return 'spec.selection.count';
  if (/cohort/i.test(refusal)) return 'spec.cohort.header';
  if (/ cannot inject /.test(refusal)) return 'spec.fault.kind';
  return null;
}

/** Refusals grouped by field, for the editor's per-field errors. */
export function refusalsByField(refusals: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of refusals) {
    const f = refusalField(r);
    if (f) (out[f] ??= []).push(r);
  }
  return out;
}
