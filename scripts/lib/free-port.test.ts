import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, portPicker } from './free-port';

describe('freePort', () => {
  it('never hands out a port twice, even when the OS offers it again', async () => {
    const offers = [40001, 40001, 40001, 40002, 40001, 40003];
    const pick = portPicker(() => Promise.resolve(offers.shift()!));
    expect([await pick(), await pick(), await pick()]).toEqual([40001, 40002, 40003]);
  });

  it('gives up in words when every offer was handed out already', async () => {
    const pick = portPicker(() => Promise.resolve(40001));
    await pick();
    await expect(pick()).rejects.toThrow('no free port left');
  });

  it('gives a port a server can listen on', async () => {
    const port = await freePort();
    const s = net.createServer();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((r) => s.close(r));
    expect(port).toBeGreaterThan(0);
  });
});
