// lint-as: app/(console)/__boundaries_fixture__/page.tsx
import { sharedRegistry } from '@/server/metrics/shared-registry.mjs';
export default function Page() {
  return sharedRegistry() ? null : null;
}
