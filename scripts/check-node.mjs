// Plain JavaScript so it runs (and explains itself) on any Node, before TypeScript tooling loads.
import { readFileSync } from 'node:fs';

const range = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [major, minor] = process.versions.node.split('.').map(Number);
// Mirrors package.json "engines": Node 20.19+ (20.x) or 22.12+.
const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
if (!ok) {
  console.error(`Switchback needs Node ${range}; this is Node ${process.versions.node}. Install a supported Node (e.g. 20 LTS) and run again.`);
  process.exit(1);
}
