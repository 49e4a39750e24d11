// lint-as: server/domain/__boundaries_fixture__.ts
import { runCommand } from '../services/command';
export const x = runCommand;
