// The replay thread's entry: the thread runs TypeScript source, as the workers and scripts do
// (through tsx), so the preview's bundled web process and the tests start the same code.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.file, import.meta.url);
