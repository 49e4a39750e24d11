// One live stream (SSE) of the tRPC API as a console tab opens it, counting what it receives by
// kind; shared by the scale parts that open streams (streams, heavy).
import type { WebUnderTest } from './live-fleet';

export interface Stream {
  opened: boolean;
  bytes: number;
  events: number;
  /** Topology feed messages by kind (a resync sends a whole snapshot). */
  snapshots: number;
  deltas: number;
  /** Bytes by SSE message kind (the event name, or for data the feed's kind: tick, snapshot …). */
  bytesByKind: Record<string, number>;
  messagesByKind: Record<string, number>;
  failed: string | null;
}

/** What one SSE message is: its event name (connected, ping, return …) or the kind of its data. */
function kindOf(message: string): string {
  const event = /^event: ?(.*)$/m.exec(message)?.[1];
  if (event) return event;
  if (message.includes('"kind":"snapshot"')) return 'snapshot';
  if (message.includes('"kind":"delta"')) return 'delta';
  if (message.includes('"tickId"')) return 'tick';
  if (/^data:/m.test(message)) return 'data';
  return 'other';
}

export function openStream(web: WebUnderTest, path: string, input: unknown, signal: AbortSignal): Stream {
  const s: Stream = { opened: false, bytes: 0, events: 0, snapshots: 0, deltas: 0, bytesByKind: {}, messagesByKind: {}, failed: null };
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  void (async () => {
    const res = await fetch(`${web.base}/api/trpc/${path}${q}`, { headers: { cookie: web.cookie, accept: 'text/event-stream' }, signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    s.opened = true;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let error = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended (after ${Object.keys(s.messagesByKind).join(', ')}${error ? `: ${error}` : ''})`);
      s.bytes += value.byteLength;
      // Whole SSE messages (they end with a blank line), each counted by kind.
      pending += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const message = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const kind = kindOf(message);
        // The error's words (tRPC sends {message, code …} as data), for the failure's reason.
        if (kind === 'serialized-error') error = (/"message":"([^"]*)"/.exec(message)?.[1] ?? message).slice(0, 160);
        s.messagesByKind[kind] = (s.messagesByKind[kind] ?? 0) + 1;
        s.bytesByKind[kind] = (s.bytesByKind[kind] ?? 0) + Buffer.byteLength(message) + 2;
        // Tick feeds carry "tickId" in each message (the connected event and pings do not).
        if (message.includes('"tickId"')) s.events++;
        if (kind === 'snapshot') s.snapshots++;
        if (kind === 'delta') s.deltas++;
      }
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) s.failed = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
  });
  return s;
}
