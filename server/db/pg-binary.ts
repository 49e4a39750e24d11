// A reader for PostgreSQL's binary COPY format (COPY … TO STDOUT (FORMAT binary)), for bulk
// reads of raw bytes: the what-if preview reads telemetry packs (bytea) that text output would
// hex-encode. (node-pg's own binary mode turns every value into a UTF-8 string first, so it cannot
// carry raw bytes.)
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Runs `COPY (<select>) TO STDOUT (FORMAT binary)` and returns the whole output. */
export async function copyBinary(pool: pg.Pool, select: string): Promise<Buffer> {
  const client = await pool.connect();
  try {
    const parts: Buffer[] = [];
    for await (const part of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) parts.push(part as Buffer);
    client.release();
    return Buffer.concat(parts);
  } catch (err) {
    // A connection that failed mid-COPY is not handed back to the pool.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}

/**
 * Walks the tuples of a binary COPY output. Call `next()` for each row, then one reader per
 * column in order (`skip()` for a column not needed); each returns null for a NULL value.
 */
export class CopyReader {
  private at: number;

  constructor(private readonly b: Buffer) {
    if (b.length < 19 || !b.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY output');
    this.at = 19 + b.readInt32BE(15);
  }

  /** Moves to the next row; false at the end. */
  next(): boolean {
    const fields = this.b.readInt16BE(this.at);
    this.at += 2;
    return fields !== -1;
  }

  private len(): number {
    const n = this.b.readInt32BE(this.at);
    this.at += 4;
    return n;
  }

  skip(): void {
    const n = this.len();
    if (n > 0) this.at += n;
  }

  /** A uuid as its 16 raw bytes (a view into the buffer). */
  uuidBytes(): Buffer | null {
    if (this.len() < 0) return null;
    const v = this.b.subarray(this.at, this.at + 16);
    this.at += 16;
    return v;
  }

  /** A bytea as a view into the buffer. */
  bytes(): Buffer | null {
    const n = this.len();
    if (n < 0) return null;
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

export function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
