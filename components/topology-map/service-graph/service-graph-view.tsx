'use client';

import type { TopologyViewProps } from '../view-state';
import { EmptyState } from '@/components/ui/empty-state';

/**
 * The service graph: services as nodes, caller → callee edges with rate, errors, P95 and the
 * version split. (Contract placeholder on main while the graph is built in its own branch.)
 */
export function ServiceGraphView(_props: TopologyViewProps) {
  return <EmptyState title="Service graph">The service graph is not built yet: use the placement view.</EmptyState>;
}
