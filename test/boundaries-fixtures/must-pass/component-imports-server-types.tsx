// lint-as: components/overview/__boundaries_fixture__.tsx
import type { OverviewData } from '@/server/services/topology/topology';
import type { Role } from '../../server/db/generated/enums';
import { Button } from '@/components/ui/button';
export type X = [OverviewData, Role];
export const y = Button;
