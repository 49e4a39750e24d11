// `npm run bench`: runs every benchmark and prints one JSON line of figures per benchmark.
// Optional arguments filter by name (e.g. `npm run bench -- foundation`). package.json gives it an
// 8 GB heap: the serial reference replay of the 10,000-instance what-if holds ~3.3 GB, and the
// run died at Node's default limit of ~4 GB ("Ineffective mark-compacts near heap limit").
import { readdirSync } from 'node:fs';

const filter = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.ts')).sort();
let failed = false;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (filter.length && !filter.includes(name)) continue;
  try {
    const mod = (await import(`./${file}`)) as { run: () => Promise<Record<string, unknown>> };
    console.log(JSON.stringify(await mod.run()));
  } catch (err) {
    failed = true;
    console.error(`bench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
