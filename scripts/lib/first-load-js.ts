import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

// What a browser downloads before a page can run, read from the production build's own manifests
// (Turbopack or webpack): the root main files every page loads, plus the chunks the page's entry
// (its layouts and page component) lists in its client reference manifest. Chunks a page loads
// later through next/dynamic or import() are not in it: that is the point of splitting them off.

/** Strings that survive minification because the library puts them in the DOM or in its messages. */
export const LIBRARY_MARKERS: Record<string, RegExp> = {
  recharts: /recharts-(?:wrapper|surface|cartesian-grid)/,
  '@xyflow/react': /react-flow__(?:renderer|viewport|node)/,
  elkjs: /org\.eclipse\.elk\./,
  // The yaml package's own parse error message (its lexer); nothing else in the console says it.
  yaml: /Implicit keys need to be on a single line/,
};

export interface RouteWeight {
  route: string;
  chunks: string[];
  rawBytes: number;
  gzipBytes: number;
  /** Which heavy libraries (LIBRARY_MARKERS) the first load contains. */
  libraries: string[];
}

interface ClientManifest {
  entryJSFiles?: Record<string, string[]>;
}

function clientManifest(distDir: string, entry: string): ClientManifest | null {
  const file = join(distDir, 'server', 'app', `${entry}_client-reference-manifest.js`);
  if (!existsSync(file)) return null;
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[entry]; run it in a sandbox.
  const sandbox: { self?: unknown; globalThis?: unknown; __RSC_MANIFEST?: Record<string, ClientManifest> } = {};
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(file, 'utf8'), sandbox);
  return sandbox.__RSC_MANIFEST?.[entry] ?? null;
}

/** First-load JavaScript of every App Router page in a build (`distDir`, e.g. `.next`). */
export function firstLoadJs(distDir: string): RouteWeight[] {
  const routes = JSON.parse(readFileSync(join(distDir, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>;
  const build = JSON.parse(readFileSync(join(distDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const sizes = new Map<string, { raw: number; gzip: number; text: string }>();
  const chunk = (f: string) => {
    let s = sizes.get(f);
    if (!s) {
      const buf = readFileSync(join(distDir, f));
      s = { raw: buf.length, gzip: gzipSync(buf).length, text: buf.toString('utf8') };
      sizes.set(f, s);
    }
    return s;
  };
  const out: RouteWeight[] = [];
  for (const [entry, route] of Object.entries(routes)) {
    if (!entry.endsWith('/page') || route.startsWith('/_')) continue;
    const manifest = clientManifest(distDir, entry);
    const own = manifest?.entryJSFiles?.[`[project]/app${entry}`];
    if (!own) throw new Error(`no client entry for ${entry} in ${distDir}: not a Turbopack build of this app?`);
    const chunks = [...new Set([...build.rootMainFiles, ...own])];
    const texts = chunks.map(chunk);
    out.push({
      route,
      chunks,
      rawBytes: texts.reduce((a, s) => a + s.raw, 0),
      gzipBytes: texts.reduce((a, s) => a + s.gzip, 0),
      libraries: Object.entries(LIBRARY_MARKERS).filter(([, re]) => texts.some((s) => re.test(s.text))).map(([name]) => name),
    });
  }
  return out.sort((a, b) => a.route.localeCompare(b.route));
}
