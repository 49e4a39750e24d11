// A TCP proxy in front of the test PostgreSQL that can be frozen: while frozen it accepts
// connections and reads bytes but forwards nothing in either direction, which is what a client
// sees of a database that hangs (a stopped VM, a full disk, a dead network path). Thawing
// delivers everything held back, in order. Used instead of SIGSTOP on the shared test server.
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pipe {
  client: Socket;
  upstream: Socket;
  held: Array<{ to: Socket; chunk: Buffer }>;
  /** One side closed while frozen: the other learns of it only at the thaw, as with a hung host. */
  closeHeld: boolean;
}

export class FreezableProxy {
  private server: Server | null = null;
  private readonly pipes = new Set<Pipe>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A proxy for the server of a postgresql:// URL; `proxied(url)` rewrites URLs to go through it. */
  static for(url: string): FreezableProxy {
    const u = new URL(url);
    return new FreezableProxy(u.hostname, Number(u.port || 5432));
  }

  proxied(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async start(): Promise<this> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    if (!addr || typeof addr !== 'object') throw new Error('the proxy has no port');
    this.port = addr.port;
    this.server = server;
    return this;
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.pipes.size;
  }

  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const p of [...this.pipes]) {
      for (const { to, chunk } of p.held.splice(0)) if (!to.destroyed) to.write(chunk);
      if (p.closeHeld) this.end(p);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pipes) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pipes.clear();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private accept(client: Socket) {
    const upstream = connect(this.targetPort, this.targetHost);
    const pipe: Pipe = { client, upstream, held: [], closeHeld: false };
    this.pipes.add(pipe);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (this.frozen || pipe.held.length) pipe.held.push({ to, chunk });
      else to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    // Either side closing closes the other (a client that gives up ends its backend too), but
    // not while frozen: then nothing at all gets through.
    const closed = () => {
      if (this.frozen) pipe.closeHeld = true;
      else this.end(pipe);
    };
    for (const s of [client, upstream]) {
      s.on('close', closed);
      s.on('error', closed);
    }
  }

  private end(pipe: Pipe) {
    this.pipes.delete(pipe);
    pipe.client.destroy();
    pipe.upstream.destroy();
  }
}
