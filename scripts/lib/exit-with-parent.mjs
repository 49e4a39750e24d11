// Preloaded (node --import) into the web server and the worker that `npm start` supervises.
// Their stdin is a pipe only the supervisor writes to; its end means the supervisor is gone —
// even SIGKILLed, when it could not stop them — and the process then stops itself the way the
// supervisor would have asked: SIGTERM (graceful). Nothing is left behind.
// Worker threads inherit the preload, and a thread's stdin ends at once: only the main thread
// watches it (the what-if preview's replay thread otherwise stopped the web server).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}
