// lint-as: components/overview/__boundaries_fixture__.tsx
import { getHealth } from '@/server/services/system/health';
export const x = getHealth;
