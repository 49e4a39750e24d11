// Decoders for PostgreSQL's binary array format (what array_send returns as bytea), for the few
// bulk reads where text output and JSON cost more than the work itself: the what-if preview reads
// 70,000 samples, and array_send(array_agg(x)) per column is about half the cost of json_agg for
// PostgreSQL and near free to read here. (node-pg's own binary mode decodes values as UTF-8, so it
// cannot carry raw bytes; bytea in text mode can.)

/** A one-dimensional array of fixed-size elements; NULL elements come back as null. */
function decodeArray<T>(buf: Uint8Array, read: (b: Buffer, at: number) => T): Array<T | null> {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const ndim = b.readInt32BE(0);
  if (ndim === 0) return [];
  if (ndim !== 1) throw new Error(`expected a one-dimensional array, got ${ndim} dimensions`);
  const n = b.readInt32BE(12);
  const out = new Array<T | null>(n);
  let at = 20;
  for (let i = 0; i < n; i++) {
    const len = b.readInt32BE(at);
    at += 4;
    if (len < 0) {
      out[i] = null;
      continue;
    }
    out[i] = read(b, at);
    at += len;
  }
  return out;
}

export const float8Array = (buf: Uint8Array) => decodeArray(buf, (b, at) => b.readDoubleBE(at));
export const int4Array = (buf: Uint8Array) => decodeArray(buf, (b, at) => b.readInt32BE(at));
export const boolArray = (buf: Uint8Array) => decodeArray(buf, (b, at) => b[at] === 1);
