// The process around run(): argv, environment, streams and the exit code. bin/switchback.mjs
// registers tsx and imports this file.
import { run } from './run';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('Token: ');
  }
  let data = '';
  for await (const chunk of process.stdin) {
    data += String(chunk);
    // One line is all login needs; a bound keeps a stray pipe from filling memory.
    if (data.includes('\n') || data.length > 4096) break;
  }
  return data.slice(0, 4096);
}

const code = await run(process.argv.slice(2), {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
  readStdin,
});
process.exitCode = code;
