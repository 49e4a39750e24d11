// 500 open live streams on one web process: its memory before and after, and the latency of a
// simple query (auth.me) before, while the streams open, and while they are open and receiving
// ticks. The streams are what 500 console tabs open: each the shell's change feed, and in turn
// the topology feed (from the tick its snapshot had, as the page does) or the tick feed.
// Runs the production web server from the existing build (see lib/live-fleet.ts).
import type { Figures } from '../scale.bench';
import { summary } from '../lib';
import { liveFleet, startWeb, until, webKind, type WebUnderTest } from './lib/live-fleet';

const STREAMS = Number(process.env.SCALE_STREAMS ?? 500);
const TICK_MS = 1000;

interface Stream {
  opened: boolean;
  bytes: number;
  events: number;
  /** Topology feed messages by kind (a resync sends a whole snapshot). */
  snapshots: number;
  deltas: number;
  failed: string | null;
}

function openStream(web: WebUnderTest, path: string, input: unknown, signal: AbortSignal): Stream {
  const s: Stream = { opened: false, bytes: 0, events: 0, snapshots: 0, deltas: 0, failed: null };
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  void (async () => {
    const res = await fetch(`${web.base}/api/trpc/${path}${q}`, { headers: { cookie: web.cookie, accept: 'text/event-stream' }, signal });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    s.opened = true;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      s.bytes += value.byteLength;
      // Tick feeds carry "tickId" in each message (the connected event and pings do not).
      const text = decoder.decode(value, { stream: true });
      if (text.includes('"tickId"')) s.events++;
      s.snapshots += text.split('"kind":"snapshot"').length - 1;
      s.deltas += text.split('"kind":"delta"').length - 1;
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) s.failed = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
  });
  return s;
}

/** auth.me, one after the other, until `stop()`; the latencies in ms. */
function probe(web: WebUnderTest) {
  const ms: number[] = [];
  const errors: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const t0 = performance.now();
      // A refused or reset connection is a failed probe, counted (it ended the whole run before).
      try {
        const res = await fetch(`${web.base}/api/trpc/auth.me`, { headers: { cookie: web.cookie } });
        await res.arrayBuffer();
        ms.push(performance.now() - t0);
        if (!res.ok) errors.push(`HTTP ${res.status}`);
      } catch (err) {
        errors.push(err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    ms,
    async stop() {
      running = false;
      await done;
      return { ...summary(ms), failed: errors.length, ...(errors.length ? { firstError: errors[0] } : {}) };
    },
  };
}

export async function measure(instances: number): Promise<Figures> {
  const fleet = await liveFleet(instances, TICK_MS);
  const abort = new AbortController();
  let web: Awaited<ReturnType<typeof startWeb>> | null = null;
  try {
    await until(() => fleet.ticks.length >= 2, 120_000, 'the first ticks');
    web = await startWeb(fleet);
    const w = web;
    // Warm up: the pages' queries and one stream of each feed, so "before" is a running server.
    const warm = new AbortController();
    const latest = () => fleet.ticks[fleet.ticks.length - 1]!;
    const warmStreams = [openStream(w, 'live.events', {}, warm.signal), openStream(w, 'topologyMap.live', { lastEventId: latest() }, warm.signal), openStream(w, 'telemetry.ticks', undefined, warm.signal)];
    // The change feed has no events here (no commands run); the tick feeds get one per tick.
    await until(() => warmStreams.every((s, i) => (i === 0 ? s.opened : s.events > 0) || s.failed !== null), 60_000, 'the warm-up streams');
    await fetch(`${w.base}/api/trpc/topologyMap.snapshot`, { headers: { cookie: w.cookie } }).then((r) => r.arrayBuffer());
    warm.abort();
    const before = probe(w);
    await until(() => before.ms.length >= 40, 60_000, 'the baseline probes');
    const idle = await before.stop();
    const rssBefore = w.rssMb();

    const opening = probe(w);
    const ticksAtStart = fleet.ticks.length;
    const t0 = performance.now();
    const streams: Stream[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const kind = i % 4;
      if (kind < 2) streams.push(openStream(w, 'live.events', {}, abort.signal));
      else if (kind === 2) streams.push(openStream(w, 'topologyMap.live', { lastEventId: latest() }, abort.signal));
      else streams.push(openStream(w, 'telemetry.ticks', undefined, abort.signal));
    }
    await until(() => streams.every((s) => s.opened || s.failed !== null), 300_000, 'the streams to open');
    const openMs = Math.round(performance.now() - t0);
    const whileOpening = await opening.stop();

    const open = probe(w);
    const ticksAtOpen = fleet.ticks.length;
    await until(() => fleet.ticks.length >= ticksAtOpen + 10 && open.ms.length >= 40, 120_000, 'ten ticks with the streams open');
    const whileOpen = await open.stop();
    const ticksWhileMeasured = fleet.ticks.length - ticksAtStart;
    const tickFeeds = streams.filter((_, i) => i % 4 >= 2);
    const topo = streams.filter((_, i) => i % 4 === 2);
    const rssAfter = w.rssMb();
    return {
      web: webKind(),
      streams: STREAMS,
      failed: streams.filter((s) => s.failed !== null).length,
      firstFailure: streams.find((s) => s.failed !== null)?.failed ?? null,
      failuresByReason: streams.reduce<Record<string, number>>((n, s) => (s.failed === null ? n : { ...n, [s.failed]: (n[s.failed] ?? 0) + 1 }), {}),
      openAllMs: openMs,
      webRssMb: { before: rssBefore, with500Open: rssAfter, perStreamKb: Math.round(((rssAfter - rssBefore) * 1024) / STREAMS) },
      authMeMs: { idle, whileOpening, whileOpen },
      tickFeedsReceivingEvents: tickFeeds.filter((s) => s.events > 0).length,
      tickFeeds: tickFeeds.length,
      mbReceived: Math.round(streams.reduce((n, s) => n + s.bytes, 0) / 1e5) / 10,
      // What the bytes are: ticks while the streams were open, and the topology feeds' messages
      // by kind (a snapshot is the whole map, a delta what changed; one snapshot per stream at most
      // when none falls behind).
      ticksWhileMeasured,
      topologyFeeds: topo.length,
      topologyMessages: { snapshots: topo.reduce((n, s) => n + s.snapshots, 0), deltas: topo.reduce((n, s) => n + s.deltas, 0) },
      topologyMbReceived: Math.round(topo.reduce((n, s) => n + s.bytes, 0) / 1e5) / 10,
    };
  } finally {
    abort.abort();
    await web?.stop();
    await fleet.stop();
  }
}
