// HAProxy's Runtime API over a unix socket or TCP: one short connection per call, which is how
// the API is meant to be used in non-interactive mode. Several commands go in one line separated
// by `;` (one round trip), so applying 100 weights costs one connection, not 100.
import net from 'node:net';

export class HaproxyError extends Error {
  constructor(
    readonly address: string,
    detail: string,
  ) {
    super(`HAProxy at ${address.replace(/^unix:/, '')}: ${detail}`);
    this.name = 'HaproxyError';
  }
}

export interface Logger {
  debug(line: string): void;
}

const quiet: Logger = { debug: () => undefined };

/** `unix:/run/haproxy/admin.sock` or `tcp:127.0.0.1:9999` (a bare path means unix). */
export function parseAddress(address: string): { path: string } | { host: string; port: number } {
  if (address.startsWith('tcp:')) {
    const m = /^tcp:(.+):(\d+)$/.exec(address);
    if (!m) throw new Error(`"${address}" is not tcp:host:port`);
    return { host: m[1]!, port: Number(m[2]) };
  }
  return { path: address.replace(/^unix:/, '') };
}

function words(address: string, err: NodeJS.ErrnoException): HaproxyError {
  switch (err.code) {
    case 'ENOENT':
      return new HaproxyError(address, 'no such socket (is HAProxy running?)');
    case 'EACCES':
    case 'EPERM':
      return new HaproxyError(address, 'permission denied');
    case 'ECONNREFUSED':
      return new HaproxyError(address, 'connection refused (is HAProxy running?)');
    default:
      return new HaproxyError(address, err.message);
  }
}

/** `;` separates commands on one line: arguments must not contain it (names and numbers never do). */
const safe = (cmd: string) => {
  if (/[;\n]/.test(cmd)) throw new Error(`refusing a runtime command containing ";" or a newline: ${cmd}`);
  return cmd;
};

export class RuntimeClient {
  constructor(
    readonly address: string,
    private readonly timeoutMs = 2000,
    private readonly log: Logger = quiet,
  ) {}

  /** Sends one command and returns HAProxy's answer as text. */
  async send(cmd: string): Promise<string> {
    this.log.debug(`haproxy ${this.address} ← ${cmd}`);
    return (await this.exchange(`${safe(cmd)}\n`)).replace(/^\n+/, '').replace(/\n+$/, '');
  }

  /**
   * Sends commands that answer nothing on success (set server, set/add/del map, commit) in one
   * round trip. Answers are not delimited per command, so any text back is an error: it is
   * thrown with HAProxy's own words.
   */
  async run(cmds: readonly string[]): Promise<void> {
    if (cmds.length === 0) return;
    const line = cmds.map(safe).join('; ');
    this.log.debug(`haproxy ${this.address} ← ${line.length > 400 ? `${line.slice(0, 400)}… (${cmds.length} commands)` : line}`);
    const problems = (await this.exchange(`${line}\n`)).split('\n').map((l) => l.trim()).filter(Boolean);
    if (problems.length) throw new HaproxyError(this.address, `${problems.join(' ')} (in: ${line.slice(0, 200)})`);
  }

  /** One connection per command: what `run` replaces (kept for the pipelining benchmark). */
  async runOneByOne(cmds: readonly string[]): Promise<void> {
    for (const c of cmds) await this.run([c]);
  }

  /**
   * Replaces a map's whole content atomically (prepare / add @version / commit): requests never
   * see a half-written map.
   */
  async replaceMap(file: string, entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
    const answer = await this.send(`prepare map ${file}`);
    const m = /New version created:\s*(\d+)/.exec(answer);
    if (!m) throw new HaproxyError(this.address, `prepare map ${file}: ${answer || 'no answer'}`);
    const v = m[1]!;
    // The CLI takes "\\" as an escape: a backslash in a key (a regex) is sent doubled.
    const arg = (x: string) => x.replace(/\\/g, '\\\\');
    await this.run([...entries.map(([k, val]) => `add map @${v} ${file} ${arg(k)} ${arg(val)}`), `commit map @${v} ${file}`]);
  }

  private exchange(payload: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const target = parseAddress(this.address);
      const socket = 'path' in target ? net.createConnection(target.path) : net.createConnection(target.port, target.host);
      let out = '';
      let settled = false;
      const done = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (err) reject(err);
        else resolve(out);
      };
      const timer = setTimeout(() => done(new HaproxyError(this.address, `timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.end(payload));
      socket.on('data', (d: string) => (out += d));
      socket.on('end', () => done(null));
      socket.on('error', (err: NodeJS.ErrnoException) => done(words(this.address, err)));
    });
  }
}
