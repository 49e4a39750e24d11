// lint-as: components/topology-map/__boundaries_fixture__.tsx
import { ReactFlow } from '@xyflow/react';
export const x = ReactFlow;
