// lint-as: components/flow/__boundaries_fixture__.tsx
import { ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
export const x = ReactFlow;
