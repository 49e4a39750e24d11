// A bounded load generator: a fixed request rate for a fixed time, at most `maxInFlight`
// outstanding, a share of requests carrying X-Abtest-Group: v2-canary. Loopback only.
import http from 'node:http';

export interface LoadOptions {
  targets: string[];
  rps: number;
  durationS: number;
  maxInFlight?: number;
  canaryShare?: number;
}

export interface LoadHandle {
  sent(): number;
  stop(): Promise<void>;
  done: Promise<{ sent: number; ok: number; failed: number }>;
}

export function startLoad(o: LoadOptions): LoadHandle {
  for (const t of o.targets) if (!/^http:\/\/127\.\d+\.\d+\.\d+:\d+/.test(t)) throw new Error(`load generator: ${t} is not a loopback URL`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxInFlight ?? 50 });
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  let stopped = false;
  const until = Date.now() + o.durationS * 1000;
  const one = (url: string) => {
    inFlight++;
    sent++;
    const headers = Math.random() < (o.canaryShare ?? 0.05) ? { 'X-Abtest-Group': 'v2-canary' } : {};
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        inFlight--;
        if ((res.statusCode ?? 0) < 500) ok++;
        else failed++;
      });
    });
    req.on('error', () => (inFlight--, failed++));
    req.setTimeout(10_000, () => req.destroy());
  };
  let resolveDone!: (v: { sent: number; ok: number; failed: number }) => void;
  const done = new Promise<{ sent: number; ok: number; failed: number }>((r) => (resolveDone = r));
  const periodMs = 50;
  let carry = 0;
  const timer = setInterval(() => {
    if (stopped || Date.now() >= until) {
      clearInterval(timer);
      agent.destroy();
      resolveDone({ sent, ok, failed });
      return;
    }
    carry += (o.rps * periodMs) / 1000;
    for (; carry >= 1; carry--) if (inFlight < (o.maxInFlight ?? 50)) one(o.targets[sent % o.targets.length]!);
  }, periodMs);
  return {
    sent: () => sent,
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
