// `prisma generate` wants a native schema engine that cannot be downloaded offline; generating
// the TypeScript client does not use it, so point Prisma at any existing file (STACK-NOTES).
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
});
process.exit(r.status ?? 1);
