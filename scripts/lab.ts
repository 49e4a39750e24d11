// `npm run lab`: a real platform on loopback (HAProxy, backends, Prometheus, bounded load) and
// the adapter configuration Switchback needs to drive it, in <data dir>/lab/adapter.json.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startLab } from '../lab/lab';

const dataDir = process.env.SWITCHBACK_DATA_DIR || '.data';
const dir = path.resolve(dataDir, 'lab');
const rps = Number(process.env.LAB_RPS || 20);
const durationS = Number(process.env.LAB_DURATION_S || 3600);
const say = (l: string) => console.log(`lab │ ${l}`);

say('starting HAProxy, backends, Prometheus and load on 127.0.0.1 …');
const lab = await startLab({ dir, load: { rps, durationS }, log: say }).catch((err: unknown) => {
  console.error(`lab │ could not start: ${err instanceof Error ? err.message : String(err)}`);
  console.error('lab │ needs haproxy and prometheus (Debian: apt-get install -y haproxy prometheus)');
  process.exit(1);
});
const file = path.join(dir, 'adapter.json');
await writeFile(file, `${JSON.stringify(lab.adapterConfig, null, 2)}\n`);
say('');
for (const [svc, url] of Object.entries(lab.frontends)) say(`service   ${svc.padEnd(10)} ${url}`);
say(`prometheus ${lab.prometheusUrl}`);
say(`instances ${lab.instances.map((i) => i.name).join(', ')}`);
say(`adapter   ${file}`);
say('');
say('Drive it with Switchback (in another terminal):');
say('  SWITCHBACK_PLATFORM=lab npm start');
say(`or Settings → Platform adapters → New adapter, kind haproxy, with the JSON of ${file}`);
say(`Make a backend slow: curl -XPOST http://${lab.instances[0]!.address}/knobs -d '{"latencyMs":400,"errorPct":5}'`);
say('Ctrl-C stops everything the lab started.');
let stopping = false;
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  say(`${why}: stopping…`);
  await lab.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('Ctrl-C'));
process.on('SIGTERM', () => void stop('SIGTERM'));
