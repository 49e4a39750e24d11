import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// An unbounded string reached PostgreSQL as a 1 MB login name ("index row requires 12032
// bytes"). Every `z.string()` in server/ carries a `.max(` (or an exact `.length(`) in its own
// chain; the building blocks in server/domain/inputs.ts do. This keeps it true for new code.
const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' || e.name === 'node_modules' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** `z.string(…)` calls whose method chain has no `.max(` / `.length(`, as "file:line". */
export function unboundedStrings(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'string' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'z') {
      const methods: string[] = [];
      let cur: ts.Node = node;
      // Walk up `.method(…)` links for as long as this call is the object of the next one.
      while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur && ts.isCallExpression(cur.parent.parent)) {
        methods.push(cur.parent.name.text);
        cur = cur.parent.parent;
      }
      if (!methods.includes('max') && !methods.includes('length')) {
        found.push(`${fileName}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('no z.string() without a maximum in server/', () => {
  it('the check itself tells bounded from unbounded chains', () => {
    const src = ['z.string().max(3);', 'z.string({ error: "(" }).trim().min(1).max(9).regex(/x/);', 'z.string().length(36);', 'z.string().min(1);', 'z.record(z.string(), z.unknown());', 'z\n  .string()\n  .trim();'].join('\n');
    expect(unboundedStrings('x.ts', src)).toEqual(['x.ts:4', 'x.ts:5', 'x.ts:6']);
  });

  it('holds for every source file', () => {
    const offenders = sourceFiles(ROOT).flatMap((f) => unboundedStrings(relative(join(ROOT, '..'), f), readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
