// lint-as: app/(console)/__boundaries_fixture__/page.tsx
import { db } from '@/server/db/client';
export const x = db;
