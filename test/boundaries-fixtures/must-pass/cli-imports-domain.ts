// lint-as: cli/commands/__boundaries_fixture__.ts
import { parseSpecYaml } from '../../server/domain/rollouts/yaml';
import { readFileSync } from 'node:fs';
import { run } from '../run';
export const x = [parseSpecYaml, readFileSync, run];
