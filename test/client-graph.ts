import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

// What a page's first load must download, read from the sources the way the App Router bundles
// them: a page and its layouts are server components; every 'use client' file they import is a
// client entry, and everything a client file imports *statically* is in the page's first-load
// JavaScript. `import()` (next/dynamic) starts a chunk of its own, loaded later: not followed.
// `import type` is erased: not followed.

const EXTENSIONS = ['.tsx', '.ts', '/index.tsx', '/index.ts'];

function resolveLocal(root: string, from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? join(root, spec.slice(2)) : join(dirname(from), spec);
  if (existsSync(base) && statSync(base).isFile()) return base;
  for (const ext of EXTENSIONS) if (existsSync(base + ext)) return base + ext;
  return null;
}

/** `recharts` → recharts, `@xyflow/react/dist/style.css` → @xyflow/react. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

interface Parsed {
  client: boolean;
  /** Static value imports and re-exports (module specifiers), stylesheets left out. */
  imports: string[];
}

const cache = new Map<string, Parsed>();

function parse(file: string): Parsed {
  let p = cache.get(file);
  if (p) return p;
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const first = sf.statements[0];
  const client = !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client';
  const imports: string[] = [];
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) {
      const c = s.importClause;
      // Erased by TypeScript: `import type {…}`, or every named binding `type`-only.
      const typeOnly = c?.isTypeOnly || (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) imports.push(s.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) && !s.isTypeOnly) {
      imports.push(s.moduleSpecifier.text);
    }
  }
  p = { client, imports: imports.filter((i) => !/\.css$/.test(i)) };
  cache.set(file, p);
  return p;
}

export interface ClientGraph {
  /** Project files in the page's first-load client JavaScript (relative to root). */
  files: string[];
  /** npm packages those files import statically. */
  packages: string[];
}

/**
 * The first-load client graph of the server component `entries` (a page and its layouts): the
 * 'use client' files they reach through server files, and everything those reach statically.
 */
export function clientGraph(root: string, entries: string[]): ClientGraph {
  const serverSeen = new Set<string>();
  const clientSeen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string, inClient: boolean) => {
    const parsed = parse(file);
    const client = inClient || parsed.client;
    const seen = client ? clientSeen : serverSeen;
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of parsed.imports) {
      if (spec.startsWith('.') || spec.startsWith('@/')) {
        const next = resolveLocal(root, file, spec);
        if (next) visit(next, client);
      } else if (client) {
        packages.add(packageOf(spec));
      }
    }
  };
  for (const e of entries) visit(e, false);
  return { files: [...clientSeen].map((f) => relative(root, f)).sort(), packages: [...packages].sort() };
}

/** The server components that make up an App Router page: its layouts from the root down, its error boundaries, the page. */
export function pageEntries(root: string, pageFile: string): string[] {
  const out: string[] = [];
  let dir = dirname(pageFile);
  const appDir = join(root, 'app');
  for (;;) {
    for (const f of ['layout.tsx', 'error.tsx', 'loading.tsx', 'not-found.tsx']) if (existsSync(join(dir, f))) out.push(join(dir, f));
    if (dir === appDir || dir === root) break;
    dir = dirname(dir);
  }
  return [...out.reverse(), pageFile];
}

/** `app/(console)/instances/[name]/page.tsx` → `/instances/[name]`. */
export function routeOf(root: string, pageFile: string): string {
  const segments = relative(join(root, 'app'), dirname(pageFile)).split(/[\\/]/).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}
