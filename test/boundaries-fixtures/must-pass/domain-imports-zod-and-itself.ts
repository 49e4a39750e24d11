// lint-as: server/domain/__boundaries_fixture__.ts
import { z } from 'zod';
import { STAGES } from './model';
export const x = [z, STAGES];
