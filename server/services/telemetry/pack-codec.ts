// The lean TelemetryPack layout (version 1): a minute's records stored field by field, each
// field in the narrowest form that gives back every float8 bit for bit — once when it is the same
// all minute, as float4, uint8 or uint16 when every value fits exactly, as uint16 steps from the
// first value (the sample times), else as float8. A minute of the one-second packs is then a
// third of the raw records' 16 KB or less (~4 KB: still out of line in TOAST, uncompressed), and
// the preview reads and copies that much less (1k instances x 15 minutes: 240 MB raw).
// Raw packs (PACK_SQL's float8 records, no header) still decode: their first byte is the high
// byte of a positive big-endian float8 time (>= 0x3F), never a version byte.
import { endianness } from 'node:os';

export const PACK_VERSION = 1;
/** Float8s per record (telemetry-pack.ts's PACK_FIELDS, which checks it). */
export const PACK_FIELD_COUNT = 35;
const FIELDS = PACK_FIELD_COUNT;
const PACK_RECORD_BYTES = FIELDS * 8;
const enum Form {
  Same = 0,
  F8 = 1,
  F4 = 2,
  U8 = 3,
  U16 = 4,
  Steps = 5,
}
/** Version byte, then the record count (uint16): a minute has at most a few hundred samples. */
const HEADER = 3;
const WIDTH = [0, 8, 4, 1, 2, 2];

/** Whether `pack` is a raw one (float8 records as PACK_SQL writes them). */
export const isRawPack = (pack: Buffer): boolean => pack.length === 0 || pack[0]! !== PACK_VERSION;

/** The records in a pack of either layout. */
export function packRecords(pack: Buffer): number {
  if (isRawPack(pack)) {
    if (pack.length % PACK_RECORD_BYTES !== 0) throw new Error(`a pack of ${pack.length} bytes is not whole records of ${PACK_RECORD_BYTES}`);
    return pack.length / PACK_RECORD_BYTES;
  }
  if (pack.length < HEADER) throw new Error('a lean pack without its header');
  return pack.readUInt16BE(1);
}

const SWAP = endianness() === 'LE';
const isUint = (x: number, max: number) => x >= 0 && x <= max && Math.floor(x) === x && !Object.is(x, -0);

/** The form of field `f` of the `n` records in `v` (`u`: the same memory as uint32 pairs). */
function formOf(v: Float64Array, u: Uint32Array, f: number, n: number): Form {
  let same = true, f4 = true, u8 = true, u16 = true, steps = true;
  const x0 = v[f]!;
  const lo = u[2 * f]!, hi = u[2 * f + 1]!;
  for (let k = 0, o = f; k < n; k++, o += FIELDS) {
    const x = v[o]!;
    if (same && (u[2 * o] !== lo || u[2 * o + 1] !== hi)) same = false;
    // NaN (a NULL) keeps no payload through float4 on every engine: it stays float8.
    if (f4 && (x !== x || !Object.is(Math.fround(x), x))) f4 = false;
    if (u8 && !isUint(x, 0xff)) u8 = false;
    if (u16 && !isUint(x, 0xffff)) u16 = false;
    if (steps) {
      const d = x - x0;
      if (!isUint(d, 0xffff) || !Object.is(x0 + d, x)) steps = false;
    }
    if (!same && !f4 && !u16 && !steps) return Form.F8;
  }
  if (same) return Form.Same;
  if (u8) return Form.U8;
  if (u16) return Form.U16;
  if (steps) return Form.Steps;
  return f4 ? Form.F4 : Form.F8;
}

/** A raw pack in the lean layout (a lean one as it is): decodeInto gives back exactly the raw pack's values. */
export function encodePack(raw: Buffer): Buffer {
  const n = packRecords(raw);
  if (!isRawPack(raw)) return raw;
  if (n > 0xffff) throw new Error(`a pack of ${n} records is too long for the lean layout`);
  const v = new Float64Array(n * FIELDS);
  const bytes = Buffer.from(v.buffer);
  raw.copy(bytes);
  if (SWAP && n > 0) bytes.swap64();
  const u = new Uint32Array(v.buffer);
  const forms: Form[] = [];
  let size = HEADER;
  for (let f = 0; f < FIELDS; f++) {
    const form = n === 0 ? Form.Same : formOf(v, u, f, n);
    forms.push(form);
    size += 1 + (form === Form.Same || form === Form.Steps ? 8 : 0) + (form === Form.Same ? 0 : WIDTH[form]! * n);
  }
  const out = Buffer.alloc(size);
  const w = new DataView(out.buffer, out.byteOffset, out.length);
  out[0] = PACK_VERSION;
  w.setUint16(1, n);
  let at = HEADER;
  for (let f = 0; f < FIELDS; f++) {
    const form = forms[f]!;
    const x0 = n === 0 ? 0 : v[f]!;
    w.setUint8(at++, form);
    if (form === Form.Same || form === Form.Steps) {
      // The raw bytes themselves: a NaN's payload is kept too.
      raw.copy(out, at, f * 8, f * 8 + 8);
      at += 8;
    }
    if (form === Form.Same) continue;
    const end = n * FIELDS;
    if (form === Form.F8) for (let o = f; o < end; o += FIELDS, at += 8) raw.copy(out, at, o * 8, o * 8 + 8);
    else if (form === Form.F4) for (let o = f; o < end; o += FIELDS, at += 4) w.setFloat32(at, v[o]!);
    else if (form === Form.U8) for (let o = f; o < end; o += FIELDS, at++) out[at] = v[o]!;
    else if (form === Form.U16) for (let o = f; o < end; o += FIELDS, at += 2) w.setUint16(at, v[o]!);
    else for (let o = f; o < end; o += FIELDS, at += 2) w.setUint16(at, v[o]! - x0);
  }
  return out;
}

/**
 * The records of a lean pack into `v` (records of FIELDS float8s) from record `r0`: the values
 * the raw pack held, in this machine's order.
 */
export function decodeInto(pack: Buffer, v: Float64Array, r0: number): void {
  if (isRawPack(pack)) throw new Error('not a lean pack');
  decodeLean(new DataView(pack.buffer), pack.byteOffset, pack.length, v, r0);
}

/**
 * decodeInto of the lean pack of `length` bytes at `start` of `view` (a DataView of a whole
 * socket chunk, made once for all the packs in it, not one per pack); its record count.
 */
export function decodeLean(view: DataView, start: number, length: number, v: Float64Array, r0: number): number {
  if (length < HEADER) throw new Error('a lean pack without its header');
  const n = view.getUint16(start + 1);
  let at = start + HEADER;
  const o0 = r0 * FIELDS;
  if (o0 + n * FIELDS > v.length) throw new Error('a lean pack longer than its space');
  for (let f = 0; f < FIELDS; f++) {
    const form = view.getUint8(at++) as Form;
    let o = o0 + f;
    const end = o + n * FIELDS;
    if (form === Form.Same) {
      const x = view.getFloat64(at);
      at += 8;
      for (; o < end; o += FIELDS) v[o] = x;
    } else if (form === Form.F8) {
      for (; o < end; o += FIELDS, at += 8) v[o] = view.getFloat64(at);
    } else if (form === Form.F4) {
      for (; o < end; o += FIELDS, at += 4) v[o] = view.getFloat32(at);
    } else if (form === Form.U8) {
      for (; o < end; o += FIELDS, at++) v[o] = view.getUint8(at);
    } else if (form === Form.U16) {
      for (; o < end; o += FIELDS, at += 2) v[o] = view.getUint16(at);
    } else if (form === Form.Steps) {
      const x0 = view.getFloat64(at);
      at += 8;
      for (; o < end; o += FIELDS, at += 2) v[o] = x0 + view.getUint16(at);
    } else throw new Error(`a lean pack with an unknown field form ${form as number}`);
  }
  if (at !== start + length) throw new Error(`a lean pack of ${length} bytes holds ${at - start}`);
  return n;
}

/** Any pack as the raw float8 records PACK_SQL writes (the serial reference's unpack reads those). */
export function rawPack(pack: Buffer): Buffer {
  if (isRawPack(pack)) return pack;
  const n = packRecords(pack);
  const v = new Float64Array(n * FIELDS);
  decodeInto(pack, v, 0);
  const out = Buffer.alloc(n * PACK_RECORD_BYTES);
  for (let k = 0; k < v.length; k++) out.writeDoubleBE(v[k]!, k * 8);
  return out;
}
