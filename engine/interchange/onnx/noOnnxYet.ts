/**
 * Test support: node types that have no ONNX export yet (none today: the attention layers export as
 * MatMul/Softmax chains) and those the import cannot read back, and the templates free of them,
 * which the export, import and checker tests run over.
 */
import { TEMPLATES } from '../../graph/templates';

export const NO_ONNX_YET: ReadonlySet<string> = new Set<string>();

/** The templates whose nodes all have an ONNX form (or are losses and metrics). */
export const ONNX_TEMPLATES = TEMPLATES.filter((t) => !t.build(new Date(0)).nodes.some((n) => NO_ONNX_YET.has(n.type)));

/**
 * Node types the ONNX export writes but the import cannot read back yet: the recurrent layers
 * (exported as ONNX RNN/LSTM/GRU between Transposes), Conv1D / GlobalAveragePool1D (Conv and
 * ReduceMean on sequences) and the attention layers (MatMul/Softmax chains, not read back as layers). Importing such a model is refused with the operators it lacks.
 */
export const NO_ONNX_IMPORT_YET: ReadonlySet<string> = new Set([
  'RNN',
  'LSTM',
  'GRU',
  'Conv1D',
  'GlobalAveragePool1D',
  'MultiHeadAttention',
  'PositionalEmbedding',
  'TransformerBlock',
]);

/** The templates that export to ONNX and import back. */
export const ONNX_ROUND_TRIP_TEMPLATES = ONNX_TEMPLATES.filter((t) => !t.build(new Date(0)).nodes.some((n) => NO_ONNX_IMPORT_YET.has(n.type)));
