// lint-as: server/domain/__boundaries_fixture__.ts
import { PrismaPg } from '@prisma/adapter-pg';
export const x = PrismaPg;
