// A reader for PostgreSQL's binary COPY format (COPY … TO STDOUT (FORMAT binary)), for bulk
// reads of raw bytes: the what-if preview reads telemetry packs (bytea) that text output would
// hex-encode. (node-pg's own binary mode turns every value into a UTF-8 string first, so it cannot
// carry raw bytes.)
// The rows are parsed straight from the socket's chunks as they arrive, and a value handed out is
// a view into the chunk it came in: only a CopyData message split between two chunks is copied
// (into one buffer of its length). Collecting the output first (pg-copy-streams' chunks, then one
// Buffer.concat of it) copied every byte twice more, and that garbage — a quarter of a gigabyte
// per preview of 1,000 instances — kept the collector busy.
import type pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

/** One row of a binary COPY output: one reader per column in order (`skip()` for a column not needed); each returns null for a NULL value. */
export class CopyRow {
  private b: Buffer = SIGNATURE;
  private at = 0;
  /** A DataView of all of `b`'s memory (one per socket chunk, not one per row) and where `b` starts in it. */
  private dv: DataView<ArrayBufferLike> = new DataView(SIGNATURE.buffer);
  private base = SIGNATURE.byteOffset;

  /** @internal Points the reader at a row (after its field count); `dv`: a DataView of `b.buffer`. */
  reset(b: Buffer, at: number, dv: DataView<ArrayBufferLike>): void {
    this.b = b;
    this.at = at;
    this.dv = dv;
    this.base = b.byteOffset;
  }

  private len(): number {
    const n = this.dv.getInt32(this.base + this.at);
    this.at += 4;
    return n;
  }

  /** The row's memory as a DataView (of the whole chunk): the value at `offset` of `buffer` is at `viewOffset` of it. */
  get view(): DataView<ArrayBufferLike> {
    return this.dv;
  }

  get viewOffset(): number {
    return this.base + this.at;
  }

  /**
   * For readers that decode a value in place: the next value's length (-1 for NULL), which then
   * starts at `offset` of `buffer`; `advance(length)` steps past it.
   */
  open(): number {
    return this.len();
  }

  get buffer(): Buffer {
    return this.b;
  }

  get offset(): number {
    return this.at;
  }

  advance(n: number): void {
    if (n > 0) this.at += n;
  }

  skip(): void {
    const n = this.len();
    if (n > 0) this.at += n;
  }

  /** A uuid as its 16 raw bytes (a view into the output, valid after the row). */
  uuidBytes(): Buffer | null {
    if (this.len() < 0) return null;
    const v = this.b.subarray(this.at, this.at + 16);
    this.at += 16;
    return v;
  }

  /** A bytea as a view into the output, valid after the row. */
  bytes(): Buffer | null {
    const n = this.len();
    if (n < 0) return null;
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

/** The tuples of the COPY data stream, split anywhere between messages. */
class TupleParser {
  private header = false;
  private rest: Buffer | null = null;
  private readonly row = new CopyRow();
  private ab: ArrayBufferLike = SIGNATURE.buffer;
  private dv: DataView<ArrayBufferLike> = new DataView(SIGNATURE.buffer);
  ended = false;

  constructor(private readonly onRow: (row: CopyRow) => void) {}

  /** Bytes `from`…`to` of `data` (a range, not a view of it: one Buffer per message was garbage). */
  push(data: Buffer, from: number, to: number): void {
    let b = data;
    let at = from;
    let end = to;
    if (this.rest !== null) {
      b = Buffer.concat([this.rest, data.subarray(from, to)]);
      this.rest = null;
      at = 0;
      end = b.length;
    }
    if (b.buffer !== this.ab) {
      this.ab = b.buffer;
      this.dv = new DataView(b.buffer);
    }
    const dv = this.dv;
    // Positions below are in `b`; `base` turns them into the DataView's.
    const base = b.byteOffset;
    if (!this.header) {
      if (end - at < 19 || end - at < 19 + b.readInt32BE(at + 15)) {
        this.rest = b.subarray(at, end);
        return;
      }
      if (!b.subarray(at, at + 11).equals(SIGNATURE)) throw new Error('not a binary COPY output');
      at += 19 + b.readInt32BE(at + 15);
      this.header = true;
    }
    while (at + 2 <= end && !this.ended) {
      const fields = dv.getInt16(base + at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      // The row is handed out only once all of it is here.
      let rowEnd = at + 2;
      for (let k = 0; k < fields && rowEnd <= end; k++) {
        if (rowEnd + 4 > end) rowEnd = Infinity;
        else {
          const n = dv.getInt32(base + rowEnd);
          rowEnd += n > 0 ? 4 + n : 4;
        }
      }
      if (rowEnd > end) break;
      this.row.reset(b, at + 2, dv);
      this.onRow(this.row);
      at = rowEnd;
    }
    if (at < end) {
      if (this.ended) throw new Error('data after the end of a binary COPY output');
      this.rest = b.subarray(at, end);
    }
  }
}

/**
 * A node-pg submittable (exported for its tests) that takes the connection's socket over for the COPY (as pg-copy-streams
 * does) and hands the socket back at CopyDone, or at an ErrorResponse, which node-pg then reports.
 */
export class CopyOut {
  private stream: NodeJS.EventEmitter | null = null;
  private pgOnData: ((chunk: Buffer) => void) | null = null;
  private readonly head = Buffer.alloc(5);
  private headLen = 0;
  private code = 0;
  /** Body bytes of the current message still to come; -1 between messages. */
  private left = -1;
  private bodyLen = 0;
  /** A CopyData body split between chunks, being filled. */
  private msg: Buffer | null = null;
  private failed: Error | null = null;
  private readonly tuples: TupleParser;
  readonly done: Promise<void>;
  private settle!: (err?: Error) => void;

  constructor(
    readonly text: string,
    onRow: (row: CopyRow) => void,
  ) {
    this.tuples = new TupleParser(onRow);
    this.done = new Promise((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve())));
  }

  submit(connection: { stream: NodeJS.EventEmitter; query(text: string): void }): void {
    const stream = connection.stream;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`expected node-pg's one data listener on the socket, found ${listeners.length}`);
    this.pgOnData = listeners[0] as (chunk: Buffer) => void;
    this.stream = stream;
    stream.removeListener('data', this.pgOnData);
    stream.on('data', this.onData);
    connection.query(this.text);
  }

  private detach(rest: Buffer): void {
    const stream = this.stream!;
    stream.removeListener('data', this.onData);
    stream.on('data', this.pgOnData!);
    if (rest.length > 0) this.pgOnData!(rest);
  }

  /** A row callback or the output that throws fails the COPY, whose rest is still read (and dropped). */
  private deliver(data: Buffer, from: number, to: number): void {
    if (this.failed) return;
    try {
      this.tuples.push(data, from, to);
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
    }
  }

  private readonly onData = (chunk: Buffer): void => {
    let at = 0;
    while (at < chunk.length || this.left === 0) {
      if (this.left < 0) {
        if (this.headLen === 0 && at + 5 <= chunk.length && chunk[at] !== ERROR_RESPONSE) {
          // The whole header is in this chunk (nearly always): read it where it is. A copy into
          // `head` per message (one per row) was a native call each, 160,000 per preview at 10k.
          this.code = chunk[at]!;
          this.bodyLen = this.left = chunk.readUInt32BE(at + 1) - 4;
          at += 5;
          continue;
        }
        const n = Math.min(5 - this.headLen, chunk.length - at);
        chunk.copy(this.head, this.headLen, at, at + n);
        this.headLen += n;
        at += n;
        if (this.headLen < 5) return;
        this.headLen = 0;
        this.code = this.head[0]!;
        if (this.code === ERROR_RESPONSE) return this.detach(Buffer.concat([this.head, chunk.subarray(at)]));
        this.bodyLen = this.left = this.head.readUInt32BE(1) - 4;
        continue;
      }
      const n = Math.min(this.left, chunk.length - at);
      if (this.code === COPY_DATA && n > 0) {
        if (this.msg === null && n === this.bodyLen) this.deliver(chunk, at, at + n);
        else (this.msg ??= Buffer.allocUnsafe(this.bodyLen)).set(chunk.subarray(at, at + n), this.bodyLen - this.left);
      }
      at += n;
      this.left -= n;
      if (this.left > 0) return;
      this.left = -1;
      if (this.msg !== null) {
        this.deliver(this.msg, 0, this.msg.length);
        this.msg = null;
      }
      // CopyOutResponse, notices and parameter changes in between are not the COPY's data.
      if (this.code === COPY_DONE) return this.detach(chunk.subarray(at));
    }
  };

  /** A server error (after which node-pg has the socket back) or a lost connection (no ReadyForQuery follows). */
  handleError(err: Error): void {
    this.settle(err);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (!this.failed && !this.tuples.ended) this.failed = new Error('binary COPY output ended early');
    this.settle(this.failed ?? undefined);
  }
}

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)`, calling `onRow` for each row as it arrives.
 * The row reader is reused: read its columns inside `onRow`; the buffers they return stay valid.
 */
export async function copyRows(pool: pg.Pool, select: string, onRow: (row: CopyRow) => void): Promise<void> {
  const client = await pool.connect();
  try {
    const copy = new CopyOut(`COPY (${select}) TO STDOUT (FORMAT binary)`, onRow);
    client.query(copy as unknown as pg.Submittable);
    await copy.done;
    client.release();
  } catch (err) {
    // A connection that failed mid-COPY is not handed back to the pool.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}

export function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
