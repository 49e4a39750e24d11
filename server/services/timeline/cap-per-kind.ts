// The timeline's cap, shared fairly among kinds. Weight recomputes fire every few seconds on every
// instance: at 10k instances the newest 2,000 events of a 5 min range were all recomputes from its
// last 20 s, and the breaker, degradation and stage lanes came back empty (issue 14). Each kind
// gets an equal share of the cap; a kind with fewer events than its share leaves the rest to the
// others, so the response stays at most `limit` events and every lane shows its newest.

/** `events` newest first; returns at most `limit` of them, still newest first. */
export function capPerKind<T extends { kind: string }>(events: T[], limit: number): T[] {
  if (events.length <= limit) return events;
  const have = new Map<string, number>();
  for (const e of events) have.set(e.kind, (have.get(e.kind) ?? 0) + 1);
  const take = new Map<string, number>([...have.keys()].map((k) => [k, 0]));
  let left = limit;
  let open = [...have.keys()];
  while (left > 0 && open.length) {
    const share = Math.max(1, Math.floor(left / open.length));
    for (const k of open) {
      const n = Math.min(share, have.get(k)! - take.get(k)!, left);
      take.set(k, take.get(k)! + n);
      left -= n;
    }
    open = open.filter((k) => take.get(k)! < have.get(k)!);
  }
  const used = new Map<string, number>();
  return events.filter((e) => {
    const n = used.get(e.kind) ?? 0;
    used.set(e.kind, n + 1);
    return n < take.get(e.kind)!;
  });
}
