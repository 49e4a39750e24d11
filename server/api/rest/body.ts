import { problem, type Problem } from './problem';

// The request body of a write: JSON only (a form cannot be read as one, and a script that sends
// text by mistake learns it in words), at most 1 MB, counted while reading so a missing or lying
// Content-Length cannot make the server buffer more.

export const MAX_BODY_BYTES = 1024 * 1024;

const mediaType = (h: string | null) => (h ?? '').split(';', 1)[0]!.trim().toLowerCase();

export type BodyResult = { ok: true; raw: string; value: unknown } | { ok: false; problem: Problem };

const tooLarge = (): BodyResult => ({ ok: false, problem: problem(413, `A request body may be at most ${MAX_BODY_BYTES / 1024} KB (1 MB).`) });

async function readCapped(req: Request): Promise<string | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body of a POST/PUT/PATCH; an empty body is `undefined` (an action without fields). */
export async function readJsonBody(req: Request): Promise<BodyResult> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
  const type = mediaType(req.headers.get('content-type'));
  const raw = await readCapped(req);
  if (raw === null) return tooLarge();
  if (raw.trim() === '') return { ok: true, raw: '', value: undefined };
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { ok: false, problem: problem(415, `Send the body as application/json${type ? `, not ${type.slice(0, 80)}` : ' (the Content-Type header is missing)'}.`) };
  }
  try {
    return { ok: true, raw, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, problem: problem(400, 'The body is not valid JSON.') };
  }
}
