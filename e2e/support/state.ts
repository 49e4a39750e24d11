import { readFileSync } from 'node:fs';

export const STATE_FILE = '.tmp/e2e-state.json';

export interface E2EState {
  pid: number;
  dataDir: string;
  adminName: string;
  adminPassword: string;
  url: string;
  startOutput: string;
}

export const e2eState = (): E2EState => JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2EState;
