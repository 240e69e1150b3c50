import type { NodeTypes } from '@xyflow/react';
import { GraphNode } from './GraphNode';

/** Defined once, outside components, so React Flow never sees a new object. */
export const nodeTypes: NodeTypes = { graph: GraphNode };
