// lint-as: server/platform/sim/__boundaries_fixture__.ts
import { haproxyConfigSchema } from '../haproxy/config';
export const x = haproxyConfigSchema;
