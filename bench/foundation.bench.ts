// Foundation figures: live-feed latency (commit → subscriber), the overview query on the demo
// fleet, a command's full transaction, and password hashing (which bounds login throughput).
import { createDb } from '../server/db/client';
import { LiveBus } from '../server/live/bus';
import { runCommand } from '../server/services/command';
import { getOverview, updateService } from '../server/services/topology/topology';
import { hashPassword } from '../server/auth/password';
import { makeFleet } from '../server/db/factories';
import { demoFleet } from '../prisma/demo-fleet';
import { benchDatabase, summary } from './lib';

export async function run(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const bus = new LiveBus(database.url);
  try {
    await makeFleet(db, demoFleet);

    // Live latency: from the start of the command (its whole transaction included) to the event's
    // arrival at a subscriber of the bus (the web server's side of SSE), 200 events in sequence.
    // Measured from the start because NOTIFY can arrive before the committing call returns.
    await bus.ensureConnected();
    const arrivals = new Map<string, number>();
    const off = bus.subscribe((e) => arrivals.set(String(e.payload.source), performance.now()));
    const latencies: number[] = [];
    for (let seq = 0; seq < 200; seq++) {
      const t0 = performance.now();
      await runCommand(db, { id: null, name: 'bench' }, (ctx) => ctx.emit('topology.changed', { source: `bench-${seq}`, services: 0, instances: 0, updated: 0 }));
      while (!arrivals.has(`bench-${seq}`)) await new Promise((r) => setTimeout(r, 1));
      latencies.push(arrivals.get(`bench-${seq}`)! - t0);
    }
    off();

    const overview: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await getOverview(db);
      overview.push(performance.now() - t0);
    }

    const service = await db.service.findFirstOrThrow();
    const commands: number[] = [];
    let version = service.version;
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const s = await updateService(db, { id: null, name: 'bench' }, { id: service.id, version, description: `bench ${i}` });
      version = s.version;
      commands.push(performance.now() - t0);
    }

    const hashes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await hashPassword('bench-password-123');
      hashes.push(performance.now() - t0);
    }

    return {
      bench: 'foundation',
      liveCommandToSubscriberMs: summary(latencies),
      overviewQueryMs: { ...summary(overview), instances: await db.instance.count() },
      commandTxMs: summary(commands),
      scryptHashMs: summary(hashes),
    };
  } finally {
    await bus.stop();
    await db.$disconnect();
    await database.stop();
  }
}
