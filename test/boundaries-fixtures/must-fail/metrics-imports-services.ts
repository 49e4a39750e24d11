// lint-as: server/metrics/__boundaries_fixture__.ts
import { runCommand } from '../services/command';
export const x = runCommand;
