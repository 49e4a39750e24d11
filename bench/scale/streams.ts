// 500 open live streams on one web process: its memory before and after, and the latency of a
// simple query (auth.me) before, while the streams open, and while they are open and receiving
// ticks. The streams are what 500 console tabs open: each the shell's change feed, and in turn
// the topology feed (from the tick its snapshot had, as the page does) or the tick feed.
// Runs the production web server from the existing build (see lib/live-fleet.ts).
import type { Figures } from '../scale.bench';
import { summary } from '../lib';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { liveFleet, startWeb, until, webKind, type WebUnderTest } from './lib/live-fleet';
import { openStream, type Stream } from './lib/sse-stream';

const STREAMS = Number(process.env.SCALE_STREAMS ?? 500);
const TICK_MS = 1000;
// Probes in flight at once (each a loop of auth.me): the opening burst lasts a few seconds, and one
// loop of slow answers gave ~14 latencies there, too few for a p95 to mean much.
const PROBERS = Math.max(1, Number(process.env.SCALE_PROBERS ?? 4));

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function byKind(streams: Stream[]): Record<string, { messages: number; kb: number }> {
  const out: Record<string, { messages: number; kb: number }> = {};
  for (const s of streams) {
    for (const [kind, n] of Object.entries(s.messagesByKind)) {
      const k = (out[kind] ??= { messages: 0, kb: 0 });
      k.messages += n;
      k.kb += (s.bytesByKind[kind] ?? 0) / 1000;
    }
  }
  for (const k of Object.values(out)) k.kb = Math.round(k.kb);
  return out;
}

/**
 * auth.me in PROBERS loops (lib/auth-me-probe.mjs, a process of its own so that the latencies are
 * the server's, not this process's: it reads every stream); `phase()` starts a measurement.
 */
function prober(web: WebUnderTest) {
  const child = fork(fileURLToPath(new URL('./lib/auth-me-probe.mjs', import.meta.url)), [], {
    env: { ...process.env, PROBE_BASE: web.base, PROBE_COOKIE: web.cookie, PROBE_LOOPS: String(PROBERS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let count = 0;
  let phase = 0;
  let result: ((r: { ms: number[]; errors: string[] }) => void) | null = null;
  child.on('message', (m: { phase?: number; count?: number; result?: { ms: number[]; errors: string[] } }) => {
    if (m.phase === phase && typeof m.count === 'number') count = m.count;
    if (m.result) result?.(m.result);
  });
  return {
    phase() {
      count = 0;
      child.send({ start: ++phase });
      return {
        get count() {
          return count;
        },
        async stop() {
          const { ms, errors } = await new Promise<{ ms: number[]; errors: string[] }>((resolve) => {
            result = resolve;
            child.send({ stop: true });
          });
          return { ...summary(ms), failed: errors.length, ...(errors.length ? { firstError: errors[0] } : {}) };
        },
      };
    },
    close() {
      if (child.connected) child.send({ exit: true });
      else child.kill();
    },
  };
}

export async function measure(instances: number): Promise<Figures> {
  const fleet = await liveFleet(instances, TICK_MS);
  const abort = new AbortController();
  let web: Awaited<ReturnType<typeof startWeb>> | null = null;
  let probes: ReturnType<typeof prober> | null = null;
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
    probes = prober(w);
    const before = probes.phase();
    await until(() => before.count >= 40 * PROBERS, 60_000, 'the baseline probes');
    const idle = await before.stop();
    const rssBefore = w.rssMb();

    const opening = probes.phase();
    const ticksAtStart = fleet.ticks.length;
    const t0 = performance.now();
    // CLOCK_MONOTONIC, the clock of a V8 CPU profile's timestamps: a profile of the web process
    // (SCALE_WEB_NODE_ARGS=--cpu-prof) can then be cut to the opening burst.
    const mark = () => Math.round(Number(process.hrtime.bigint() / 1000n));
    const marks: Record<string, number> = { openStartUs: mark() };
    const streams: Stream[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const kind = i % 4;
      if (kind < 2) streams.push(openStream(w, 'live.events', {}, abort.signal));
      else if (kind === 2) streams.push(openStream(w, 'topologyMap.live', { lastEventId: latest() }, abort.signal));
      else streams.push(openStream(w, 'telemetry.ticks', undefined, abort.signal));
    }
    await until(() => streams.every((s) => s.opened || s.failed !== null), 300_000, 'the streams to open');
    const openMs = Math.round(performance.now() - t0);
    marks.openEndUs = mark();
    const whileOpening = await opening.stop();

    const open = probes.phase();
    const ticksAtOpen = fleet.ticks.length;
    await until(() => fleet.ticks.length >= ticksAtOpen + 10 && open.count >= 40 * PROBERS, 120_000, 'ten ticks with the streams open');
    const whileOpen = await open.stop();
    marks.openPhaseEndUs = mark();
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
      probers: PROBERS,
      ...(process.env.SCALE_WEB_NODE_ARGS ? { monotonicMarks: marks } : {}),
      // What the server said about them (its error ids carry the causes the clients are not told).
      ...(streams.some((s) => s.failed !== null) ? { webLogTail: w.log().slice(-1500) } : {}),
      webRssMb: { before: rssBefore, with500Open: rssAfter, perStreamKb: Math.round(((rssAfter - rssBefore) * 1024) / STREAMS) },
      authMeMs: { idle, whileOpening, whileOpen },
      // Flat latency means these are about 1: the query's p50/p95 against the idle server's.
      authMeRatio: {
        whileOpening: { p50: ratio(whileOpening.p50, idle.p50), p95: ratio(whileOpening.p95, idle.p95) },
        whileOpen: { p50: ratio(whileOpen.p50, idle.p50), p95: ratio(whileOpen.p95, idle.p95) },
      },
      // More than one: a topology feed's first message is its snapshot; a stream that stalls after
      // it (as one did, waiting for a socket 'drain' that had come already) must not count.
      tickFeedsReceivingEvents: tickFeeds.filter((s) => s.events > 1).length,
      tickFeeds: tickFeeds.length,
      mbReceived: Math.round(streams.reduce((n, s) => n + s.bytes, 0) / 1e5) / 10,
      // What the bytes are: ticks while the streams were open, and the topology feeds' messages
      // by kind (a snapshot is the whole map, a delta what changed; one snapshot per stream at most
      // when none falls behind).
      ticksWhileMeasured,
      topologyFeeds: topo.length,
      topologyMessages: { snapshots: topo.reduce((n, s) => n + s.snapshots, 0), deltas: topo.reduce((n, s) => n + s.deltas, 0) },
      topologyMbReceived: Math.round(topo.reduce((n, s) => n + s.bytes, 0) / 1e5) / 10,
      kbPerStream: Math.round(streams.reduce((n, s) => n + s.bytes, 0) / STREAMS / 100) / 10,
      // Where the bytes went, per feed: messages and kB by kind (connected, ping, tick, delta …).
      received: {
        'live.events': byKind(streams.filter((_, i) => i % 4 < 2)),
        'topologyMap.live': byKind(topo),
        'telemetry.ticks': byKind(streams.filter((_, i) => i % 4 === 3)),
      },
    };
  } finally {
    probes?.close();
    abort.abort();
    await web?.stop();
    await fleet.stop();
  }
}
