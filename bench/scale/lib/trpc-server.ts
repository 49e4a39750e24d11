// The tRPC endpoint of the web process without Next.js around it: a plain Node HTTP server that
// hands /api/trpc/* to the same handler and context the route uses (app/api/trpc/[trpc]/route.ts).
// The streams bench measures the API's own cost per stream with it when no production build is
// wanted (SCALE_WEB=trpc). Usage: tsx bench/scale/lib/trpc-server.ts <port>  (DATABASE_URL set)
import http from 'node:http';
import { Readable } from 'node:stream';
import { createContext } from '../../../server/api/context';
import { handleTrpcRequest } from '../../../server/api/handler';

const port = Number(process.argv[2]);

const server = http.createServer((req, res) => {
  void (async () => {
    const url = `http://127.0.0.1:${port}${req.url ?? '/'}`;
    if (!url.includes('/api/trpc/')) {
      res.writeHead(200).end('ok');
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    headers.set('x-forwarded-for', req.socket.remoteAddress ?? '');
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, signal: abort.signal };
    if (hasBody) Object.assign(init, { body: Readable.toWeb(req), duplex: 'half' });
    const response = await handleTrpcRequest(new Request(url, init), { createContext });
    const out: Record<string, string | string[]> = Object.fromEntries(response.headers.entries());
    delete out['set-cookie'];
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  })().catch(() => res.destroy());
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
