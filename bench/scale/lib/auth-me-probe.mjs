// The streams bench's probe, in a process of its own: auth.me in PROBE_LOOPS loops, one request
// after the other in each, from {start} to {stop} (IPC messages), answered with the latencies.
// Run beside the bench's 500 stream readers, the probe's figures included that process's own
// event-loop delay (it parses every SSE message the streams receive): here they are the server's.
const base = process.env.PROBE_BASE;
const cookie = process.env.PROBE_COOKIE;
const loops = Math.max(1, Number(process.env.PROBE_LOOPS || '1'));
let running = false;
let ms = [];
let errors = [];
let done = Promise.resolve();
/** Which {start} the counts are of (a count sent just before a start must not count for it). */
let phase = 0;

async function loop(offsetMs) {
  // Staggered, so the loops do not ask in lockstep.
  await new Promise((r) => setTimeout(r, offsetMs));
  while (running) {
    const t0 = performance.now();
    // A refused or reset connection is a failed probe, counted (it ended the whole run before).
    try {
      const res = await fetch(`${base}/api/trpc/auth.me`, { headers: { cookie } });
      await res.arrayBuffer();
      ms.push(performance.now() - t0);
      if (!res.ok) errors.push(`HTTP ${res.status}`);
    } catch (err) {
      errors.push(err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const counter = setInterval(() => process.send?.({ phase, count: ms.length }), 50);
process.on('message', async (m) => {
  if (m.start && !running) {
    running = true;
    phase = m.start;
    ms = [];
    errors = [];
    done = Promise.all(Array.from({ length: loops }, (_, i) => loop((i * 20) / loops)));
  } else if (m.stop) {
    running = false;
    await done;
    process.send?.({ result: { ms, errors } });
  } else if (m.exit) {
    clearInterval(counter);
    process.disconnect();
  }
});
