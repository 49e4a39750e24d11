// lint-as: app/metrics/route.ts
import { webMetricsResponse } from '@/server/metrics/exposition';
import { db } from '@/server/db/client';
export const x = [webMetricsResponse, db];
