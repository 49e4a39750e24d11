// Preloaded (node --import) into the web server and the worker that `npm start` supervises.
// Their stdin is a pipe only the supervisor writes to; its end means the supervisor is gone —
// even SIGKILLed, when it could not stop them — and the process then stops itself the way the
// supervisor would have asked: SIGTERM (graceful). Nothing is left behind.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
