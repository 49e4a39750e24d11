import net from 'node:net';

/** A port nothing listens on right now at `host`, as the OS offers it (its probe is closed again). */
function probePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A port picker that never hands out the same port twice. Once a probe is closed the OS may offer
 * its port again, so two servers started one after the other (a web server and its PostgreSQL)
 * could be given the same one: CI saw both of `npm start`'s test processes told 127.0.0.1:36557,
 * and the web server failed with EADDRINUSE. A race with another process remains possible but rare.
 */
export function portPicker(probe: (host: string) => Promise<number> = probePort) {
  const handedOut = new Set<number>();
  return async (host = '127.0.0.1'): Promise<number> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = await probe(host);
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new Error('no free port left that this process has not handed out already');
  };
}

/** A free port at `host` (127.0.0.1 by default) that this process has not handed out before. */
export const freePort = portPicker();
