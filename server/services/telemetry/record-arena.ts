// Where the what-if preview keeps a chunk's samples until it replays them: every instance's
// records decoded straight out of the COPY output into one reused Float64Array (this machine's
// byte order, RECORD float8s each, as packValues gives them), one run of records per instance.
// Before, each pack was copied into a byte arena, then decoded into the replay's array, and the
// raw rows were written big-endian, copied and swapped back: three passes for one.
import { decodeLean, isRawPack, PACK_FIELD_COUNT, PACK_VERSION, packRecords } from './pack-codec';
import { appendRecord } from './raw-records';
import type { CopyRow } from '../../db/pg-binary';
import { endianness } from 'node:os';
import type { FirstStates } from './telemetry-pack';

const SWAP = endianness() === 'LE';

// In shared memory: the preview's replay thread reads a chunk's records where they are.
const shared = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));

export class RecordArena {
  private v: Float64Array;
  private w: Uint32Array;
  /** Records written so far. */
  private used = 0;
  /** Per instance (in arrival order): its id, its first record, its first-sample states. */
  readonly ids: string[] = [];
  readonly starts: number[] = [];
  firsts: Array<FirstStates | undefined> = [];

  /** `records`: room for this many at first (it doubles when full; the preview sizes it for a chunk). */
  constructor(records = 1 << 14) {
    this.v = shared(records * PACK_FIELD_COUNT);
    this.w = new Uint32Array(this.v.buffer);
  }

  /** Starts over: every instance's records before are given back (their reader must be done with them). */
  reset(): void {
    this.used = 0;
    this.ids.length = 0;
    this.starts.length = 0;
    this.firsts = [];
  }

  get instances(): number {
    return this.ids.length;
  }

  /** Instance `k`'s records (a view, valid until the next reset). */
  values(k: number): Float64Array {
    return this.v.subarray(this.starts[k]! * PACK_FIELD_COUNT, this.end(k) * PACK_FIELD_COUNT);
  }

  /** Where instance `k`'s records end (in records, exclusive). */
  end(k: number): number {
    return k + 1 < this.starts.length ? this.starts[k + 1]! : this.used;
  }

  /** The memory the records are in (until the next reset or growth). */
  get buffer(): SharedArrayBuffer {
    return this.v.buffer as SharedArrayBuffer;
  }

  /** The records from here on are instance `id`'s (until the next call). */
  startInstance(id: string): void {
    this.ids.push(id);
    this.starts.push(this.used);
  }

  /** Room for `n` more records (a bigger array keeps what is written). */
  private reserve(n: number): void {
    if ((this.used + n) * PACK_FIELD_COUNT <= this.v.length) return;
    const bigger = shared(Math.max(2 * this.v.length, (this.used + n) * PACK_FIELD_COUNT));
    bigger.set(this.v.subarray(0, this.used * PACK_FIELD_COUNT));
    this.v = bigger;
    this.w = new Uint32Array(bigger.buffer);
  }

  /** A pack of either layout (a view into the COPY output), decoded after the records so far. */
  addPack(pack: Buffer): void {
    this.addPackAt(pack, 0, pack.length, new DataView(pack.buffer), pack.byteOffset);
  }

  /**
   * The pack of `length` bytes at `at` of `b`, which is at `viewAt` of `view` (a DataView of the
   * whole socket chunk): a lean pack is decoded from there, without a Buffer and a DataView of its own.
   */
  addPackAt(b: Buffer, at: number, length: number, view: DataView, viewAt: number): void {
    if (length >= 3 && view.getUint8(viewAt) === PACK_VERSION) {
      this.reserve(view.getUint16(viewAt + 1));
      this.used += decodeLean(view, viewAt, length, this.v, this.used);
      return;
    }
    const pack = b.subarray(at, at + length);
    const n = packRecords(pack);
    this.reserve(n);
    if (isRawPack(pack)) {
      const out = Buffer.from(this.v.buffer, this.used * PACK_FIELD_COUNT * 8, n * PACK_FIELD_COUNT * 8);
      pack.copy(out);
      if (SWAP && n > 0) out.swap64();
    } else decodeLean(view, viewAt, length, this.v, this.used);
    this.used += n;
  }

  /** A raw row (raw-records.ts's columns) sampled at `us`, as one record after the others. */
  addRow(row: CopyRow, us: number): void {
    this.reserve(1);
    appendRecord(row, us, this.v, this.w, this.used * PACK_FIELD_COUNT);
    this.used++;
  }
}
