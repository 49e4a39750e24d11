// lint-as: server/domain/__boundaries_fixture__.ts
import { env } from '../env';
export const x = env;
