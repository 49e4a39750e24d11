// Starting a real HAProxy for the lab and the tests: foreground (-db), ready when its admin
// socket answers (about 70 ms), stopped by its PID only.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export const HAPROXY_BIN = '/usr/sbin/haproxy';

const answers = (socket: string) =>
  new Promise<boolean>((r) => {
    const s = net.createConnection(socket);
    s.on('connect', () => s.end('show info\n'));
    s.on('data', () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });

/** `extra`: e.g. ['-sf', oldPid] for a reload (the new process tells the old one to finish). */
export async function launchHaproxy(cfg: string, socket: string, extra: string[] = []): Promise<ChildProcess> {
  const p = spawn(HAPROXY_BIN, ['-f', cfg, '-db', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  for (let i = 0; i < 100; i++) {
    if (p.exitCode !== null) throw new Error(`haproxy exited: ${err.trim()}`);
    if (await answers(socket)) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  p.kill('SIGKILL');
  throw new Error(`haproxy did not open its admin socket ${socket}: ${err.trim()}`);
}

export async function stopProcess(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  await new Promise<void>((r) => {
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => (clearTimeout(t), r()));
    p.kill('SIGTERM');
  });
}
