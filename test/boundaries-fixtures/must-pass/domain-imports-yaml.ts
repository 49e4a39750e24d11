// lint-as: server/domain/rollouts/__boundaries_fixture__.ts
import { parseDocument } from 'yaml';
import { z } from 'zod';
export const x = [parseDocument, z];
