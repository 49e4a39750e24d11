// lint-as: server/db/__boundaries_fixture__.ts
import { runCommand } from '../services/command';
export const x = runCommand;
