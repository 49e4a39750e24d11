// lint-as: components/ui/__boundaries_fixture__.ts
export { db } from '@/server/db/client';
