import { existsSync } from 'node:fs';

// Chromium's headless shell first (Debian: chromium-headless-shell; what Playwright itself runs for
// headless tests): the same Blink and V8 without the browser's UI and compositor layers. The whole
// e2e suite's Chromium took ~400 CPU-s with it against ~910 with the full browser (every process,
// sampled from /proc, one run each beside other work), and every spec passes in both.
const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The system Chromium: CHROMIUM_PATH if set, else the first one found. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${CANDIDATES.join(', ')}). Install one with "sudo apt-get install -y chromium-headless-shell" (or chromium) or set CHROMIUM_PATH.`,
    );
  }
  return found;
}
