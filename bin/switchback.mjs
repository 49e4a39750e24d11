#!/usr/bin/env node
// The `switchback` command (package.json "bin"): TypeScript through tsx, like `npm start` runs.
// The CLI only talks HTTP to the API (cli/README.md).
import { register } from 'tsx/esm/api';

register();
await import('../cli/index.ts');
