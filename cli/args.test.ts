import { describe, expect, it } from 'vitest';
import { idArg, intFlag, matchCommand, parseArgv, reasonFlag, usageOf, type CommandShape } from './args';
import { CliError } from './errors';

const commands: CommandShape[] = [
  { path: ['rollouts', 'list'], args: [], flags: ['state'] },
  { path: ['rollouts', 'abort'], args: ['id'], flags: ['reason', 'version'], required: ['reason'] },
  { path: ['policies', 'get'], args: ['kind', 'scope?'], flags: [] },
  { path: ['halt'], args: [], flags: [] },
  { path: ['halt', 'engage'], args: [], flags: ['reason'] },
];

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    return (err as CliError).message;
  }
  throw new Error('expected a usage error');
}

describe('parseArgv', () => {
  it('splits words and flags, in any order, long, short and --name=value', () => {
    expect(parseArgv(['rollouts', '--json', 'abort', 'X', '--reason', 'bad canary', '-f', 'a.yaml', '--version=3'])).toEqual({
      words: ['rollouts', 'abort', 'X'],
      flags: { json: true, reason: 'bad canary', file: 'a.yaml', version: '3' },
    });
  });

  it('keeps everything after -- as words', () => {
    expect(parseArgv(['a', '--', '--json'])).toEqual({ words: ['a', '--json'], flags: {} });
  });

  it('refuses unknown, repeated, value-less and valued-boolean flags in words', () => {
    expect(usage(() => parseArgv(['--nope']))).toMatch(/Unknown flag --nope/);
    expect(usage(() => parseArgv(['-z']))).toMatch(/Unknown flag -z/);
    expect(usage(() => parseArgv(['--json', '--json']))).toMatch(/given twice/);
    expect(usage(() => parseArgv(['--reason']))).toMatch(/--reason needs a value/);
    expect(usage(() => parseArgv(['--reason', '--json']))).toMatch(/--reason needs a value/);
    expect(usage(() => parseArgv(['--json=yes']))).toMatch(/takes no value/);
  });

  it('bounds the number and length of arguments and each flag value', () => {
    expect(usage(() => parseArgv(Array.from({ length: 65 }, () => 'x')))).toMatch(/Too many arguments/);
    expect(usage(() => parseArgv(['x'.repeat(8193)]))).toMatch(/too long/);
    expect(usage(() => parseArgv(['--reason', 'r'.repeat(2001)]))).toMatch(/--reason is too long \(at most 2000/);
    expect(parseArgv(['--reason', 'r'.repeat(2000)]).flags.reason).toHaveLength(2000);
  });
});

describe('matchCommand', () => {
  it('finds the longest matching path and names the positionals', () => {
    expect(matchCommand(commands, parseArgv(['halt', 'engage', '--reason', 'r']))?.command.path).toEqual(['halt', 'engage']);
    expect(matchCommand(commands, parseArgv(['halt']))?.command.path).toEqual(['halt']);
    expect(matchCommand(commands, parseArgv(['policies', 'get', 'weight']))?.args).toEqual({ kind: 'weight', scope: undefined });
    expect(matchCommand(commands, parseArgv(['nothing']))).toBeNull();
  });

  it('says what is missing, extra or not applicable, with the usage', () => {
    expect(usage(() => matchCommand(commands, parseArgv(['rollouts', 'abort'])))).toBe('rollouts abort: missing ID.');
    expect(usage(() => matchCommand(commands, parseArgv(['rollouts', 'list', 'extra'])))).toMatch(/unexpected argument "extra"/);
    expect(usage(() => matchCommand(commands, parseArgv(['rollouts', 'list', '--reason', 'x'])))).toMatch(/--reason does not apply here/);
    // Global flags apply everywhere.
    expect(matchCommand(commands, parseArgv(['rollouts', 'list', '--json', '--config', '/tmp/c.json']))?.command.path).toEqual(['rollouts', 'list']);
  });

  it('writes the usage line with required and optional parts', () => {
    expect(usageOf(commands[1]!)).toBe('rollouts abort ID --reason REASON [--version VERSION]');
    expect(usageOf(commands[2]!)).toBe('policies get KIND [SCOPE]');
  });
});

describe('checked values', () => {
  it('accepts UUIDs only as ids', () => {
    expect(idArg('Rollout ID', '3F2B8C1E-0000-4000-8000-000000000001')).toBe('3f2b8c1e-0000-4000-8000-000000000001');
    expect(usage(() => idArg('Rollout ID', '../../etc/passwd'))).toMatch(/Rollout ID: expected an id/);
  });
  it('reads bounded whole numbers', () => {
    expect(intFlag('limit', '20', 1, 200)).toBe(20);
    expect(intFlag('limit', undefined, 1, 200)).toBeUndefined();
    expect(usage(() => intFlag('limit', '0', 1, 200))).toMatch(/--limit: a whole number from 1 to 200/);
    expect(usage(() => intFlag('limit', '2e3', 1, 200))).toMatch(/whole number/);
  });
  it('wants a non-blank reason', () => {
    expect(reasonFlag('canary errors', 'halt engage')).toBe('canary errors');
    expect(usage(() => reasonFlag('   ', 'halt engage'))).toMatch(/halt engage needs --reason/);
    expect(usage(() => reasonFlag(undefined, 'halt engage'))).toMatch(/needs --reason/);
  });
});
