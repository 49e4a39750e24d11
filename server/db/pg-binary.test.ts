import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CopyOut, type CopyRow } from './pg-binary';

// The COPY reader sees the socket's chunks cut anywhere (inside a message header, a row, a
// value): every cut must give the same rows, and what follows CopyDone must reach node-pg whole.
const msg = (code: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const field = (v: Buffer | null) => (v === null ? int32(-1) : Buffer.concat([int32(v.length), v]));
const tuple = (...vs: Array<Buffer | null>) => Buffer.concat([int16(vs.length), ...vs.map(field)]);
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(0)]);

const rows: Array<[Buffer, Buffer | null]> = [
  [Buffer.alloc(16, 1), Buffer.from('abc')],
  [Buffer.alloc(16, 2), null],
  [Buffer.alloc(16, 3), Buffer.alloc(0)],
  [Buffer.alloc(16, 4), Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251))],
];
// As PostgreSQL sends it: the header with the first row, a message per row, the trailer alone.
const stream = Buffer.concat([
  msg('H', Buffer.from([1, 0, 2, 0, 1, 0, 1])),
  msg('d', Buffer.concat([HEADER, tuple(...rows[0]!)])),
  ...rows.slice(1).map((r) => msg('d', tuple(...r))),
  msg('N', Buffer.from('a notice\0')),
  msg('d', int16(-1)),
  msg('c', Buffer.alloc(0)),
]);
const after = Buffer.concat([msg('C', Buffer.from('COPY 4\0')), msg('Z', Buffer.from('I'))]);

function run(chunks: Buffer[]) {
  const socket = new EventEmitter();
  const toPg: Buffer[] = [];
  socket.on('data', (b: Buffer) => toPg.push(Buffer.from(b)));
  const got: Array<[Buffer, Buffer | null]> = [];
  const copy = new CopyOut('COPY', (r: CopyRow) => got.push([Buffer.from(r.uuidBytes()!), r.bytes()]));
  copy.submit({ stream: socket, query: () => undefined });
  for (const c of chunks) socket.emit('data', c);
  return { copy, got, toPg: Buffer.concat(toPg) };
}

describe('CopyOut', () => {
  it('gives every row and hands the rest back to node-pg, wherever the chunks are cut', async () => {
    const all = Buffer.concat([stream, after]);
    for (const size of [1, 2, 3, 5, 7, 13, 64, all.length]) {
      for (let cut = 0; cut < Math.min(size, 9); cut++) {
        const chunks = [all.subarray(0, cut)];
        for (let at = cut; at < all.length; at += size) chunks.push(all.subarray(at, at + size));
        const { copy, got, toPg } = run(chunks.filter((c) => c.length > 0));
        expect(got, `chunks of ${size} from ${cut}`).toEqual(rows);
        expect(toPg.equals(after), `chunks of ${size} from ${cut}`).toBe(true);
        copy.handleReadyForQuery();
        await expect(copy.done).resolves.toBeUndefined();
      }
    }
  });

  it('gives an ErrorResponse to node-pg whole and rejects with its error', async () => {
    const error = msg('E', Buffer.from('SERROR\0Mboom\0\0'));
    // The response header split between two chunks, after the first row.
    const firstRow = 12 + 5 + HEADER.length + tuple(...rows[0]!).length;
    const { copy, got, toPg } = run([stream.subarray(0, firstRow), error.subarray(0, 3), Buffer.concat([error.subarray(3), after])]);
    expect(got.length).toBe(1);
    expect(toPg.equals(Buffer.concat([error, after]))).toBe(true);
    copy.handleError(new Error('boom'));
    await expect(copy.done).rejects.toThrow('boom');
  });

  it('fails when the output stops before its trailer', async () => {
    const { copy } = run([Buffer.concat([msg('d', Buffer.concat([HEADER, tuple(...rows[0]!)])), msg('c', Buffer.alloc(0)), after])]);
    copy.handleReadyForQuery();
    await expect(copy.done).rejects.toThrow('ended early');
  });

  it('fails when a row callback throws, and still reads the output to its end', async () => {
    const socket = new EventEmitter();
    const toPg: Buffer[] = [];
    socket.on('data', (b: Buffer) => toPg.push(b));
    const copy = new CopyOut('COPY', () => {
      throw new Error('bad row');
    });
    copy.submit({ stream: socket, query: () => undefined });
    socket.emit('data', Buffer.concat([stream, after]));
    expect(Buffer.concat(toPg).equals(after)).toBe(true);
    copy.handleReadyForQuery();
    await expect(copy.done).rejects.toThrow('bad row');
  });
});
