// lint-as: server/domain/__boundaries_fixture__.ts
import { spawn } from 'node:child_process';
export const x = spawn;
