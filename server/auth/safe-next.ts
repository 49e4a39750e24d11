// Where to send the user after signing in: a path on this site, nothing else. Pure (no imports),
// so the login page on the server and the sign-in form in the browser use the very same rule.
//
// String checks alone are not enough: browsers drop tabs and newlines inside URLs, so
// "/\t/evil.example" becomes "//evil.example" (another origin), and dot segments can do the same
// ("/.//evil.example" normalises to "//evil.example"). So the value is resolved against our own
// origin with the URL parser, and only a same-origin result whose path cannot be read as
// protocol-relative is kept, in its normalised (percent-encoded, ASCII-only) form — which is also
// always a valid Location header.

// C0 and C1 control characters, DEL and backslashes (which browsers read as "/").
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

export function safeNextPath(raw: string | null | undefined, origin: string): string {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//') || FORBIDDEN.test(raw)) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin || url.username || url.password) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // After normalisation: still one leading slash, and no encoded slash or backslash that a
  // server or browser further down might decode into one.
  if (!path.startsWith('/') || path.startsWith('//') || /^\/(%2f|%5c)/i.test(path)) return '/';
  return path;
}
