// Proves the import rules of ARCHITECTURE.md hold: each fixture in test/boundaries-fixtures is
// linted with the project's real ESLint config as if it were a file in the folder its first line
// names (`// lint-as: components/x/y.tsx`), so the element types match. Every must-fail fixture
// must be reported by boundaries/dependencies, every must-pass fixture must not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test/boundaries-fixtures');

// The fixtures are not files of the TypeScript project: lint them without type information
// (the boundaries rules need none), with everything else of the real config.
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs'), overrideConfig: tseslint.configs.disableTypeChecked });

function load(group: 'must-fail' | 'must-pass') {
  return readdirSync(path.join(fixtures, group)).map((file) => {
    const code = readFileSync(path.join(fixtures, group, file), 'utf8');
    const lintAs = /^\/\/ lint-as: (\S+)/.exec(code)?.[1];
    if (!lintAs) throw new Error(`${group}/${file}: first line must be "// lint-as: <path>"`);
    return { file, code, lintAs };
  });
}

async function boundaryMessages(code: string, lintAs: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, lintAs) });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, 'the fixture must parse').toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('import boundaries', () => {
  const mustFail = load('must-fail');
  const mustPass = load('must-pass');

  it('has fixtures for both outcomes', () => {
    expect(mustFail.length).toBeGreaterThan(20);
    expect(mustPass.length).toBeGreaterThan(5);
  });

  it.each(mustFail.map((f) => [f.file, f] as const))('reports %s', { timeout: 30_000 }, async (_name, f) => {
    expect(await boundaryMessages(f.code, f.lintAs)).not.toEqual([]);
  });

  it.each(mustPass.map((f) => [f.file, f] as const))('accepts %s', { timeout: 30_000 }, async (_name, f) => {
    expect(await boundaryMessages(f.code, f.lintAs)).toEqual([]);
  });
});
