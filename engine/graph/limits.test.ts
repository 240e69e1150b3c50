import { describe, expect, it } from 'vitest';
import { emptyDocument, type GraphDocument } from './document';
import { checkDocumentText, checkDocumentValue, clip, DOCUMENT_LIMITS, MESSAGE_LENGTH } from './limits';
import { migrate, parseDocument } from './migrations';
import { validateDocument } from './validate';

/** A small valid document: Input → Dense → MSELoss. */
function smallDoc(): GraphDocument {
  const doc = emptyDocument('small', new Date('2025-01-01T00:00:00Z'));
  return {
    ...doc,
    nodes: [
      { id: 'x', type: 'Input', params: { field: 'x', shape: [2] }, position: { x: 0, y: 0 } },
      { id: 'd', type: 'Dense', params: { units: 1 }, position: { x: 0, y: 0 } },
      { id: 'y', type: 'Input', params: { field: 'y', shape: [1] }, position: { x: 0, y: 0 } },
      { id: 'loss', type: 'MSELoss', params: {}, position: { x: 0, y: 0 } },
    ],
    edges: [
      { id: 'e1', from: { node: 'x', port: 'y' }, to: { node: 'd', port: 'x' } },
      { id: 'e2', from: { node: 'd', port: 'y' }, to: { node: 'loss', port: 'pred' } },
      { id: 'e3', from: { node: 'y', port: 'y' }, to: { node: 'loss', port: 'target' } },
    ],
  };
}

/** The document's text with `value` (raw JSON text) as node 0's param `p`. */
const withParamText = (value: string) => JSON.stringify({ ...smallDoc(), nodes: [{ ...smallDoc().nodes[0], params: { p: '@' } }] }).replace('"@"', value);

const refusal = (text: string) => {
  const read = parseDocument(text);
  if (read.ok) throw new Error('expected a refusal');
  expect(read.errors).toHaveLength(1);
  expect(read.errors[0].message.length).toBeLessThanOrEqual(MESSAGE_LENGTH);
  return read.errors[0].message;
};

describe('document limits', () => {
  it('opens a small document', () => {
    expect(parseDocument(JSON.stringify(smallDoc())).ok).toBe(true);
    expect(validateDocument(smallDoc()).errors).toEqual([]);
  });

  it('refuses a 42 KB document nested 20,000 arrays deep, naming the depth and the limit, without recursion', () => {
    const text = withParamText(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(text.length).toBeGreaterThan(40_000);
    expect(text.length).toBeLessThan(44_000);
    expect(refusal(text)).toBe('The document nests 20,004 levels deep; at most 64 are allowed.');
    // The same depth as a value handed to migrate (a share link decoded elsewhere) is refused as well.
    let deep: unknown[] = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const raw = { ...smallDoc(), nodes: [{ ...smallDoc().nodes[0], params: { p: deep } }] };
    const read = migrate(raw);
    expect(!read.ok && read.errors[0].message).toBe('The document nests more than 64 levels deep (at nodes[0].params.p[0][0][0][0]…); at most 64 are allowed.');
  });

  it('does not count brackets inside strings, and allows depth up to the limit', () => {
    expect(checkDocumentText(`{"a": "${'['.repeat(1000)}\\"[[["}`)).toBeUndefined();
    const atLimit = `${'['.repeat(DOCUMENT_LIMITS.depth)}${']'.repeat(DOCUMENT_LIMITS.depth)}`;
    expect(checkDocumentText(atLimit)).toBeUndefined();
    expect(checkDocumentText(`[${atLimit}]`)?.message).toBe('The document nests 65 levels deep; at most 64 are allowed.');
  });

  it('refuses a document over the byte limit before parsing it, counting UTF-8 bytes', () => {
    expect(refusal(' '.repeat(DOCUMENT_LIMITS.bytes + 1))).toBe('The document is 8.0 MB or more; at most 8.0 MB are allowed.');
    // 3 million "é" are 6 MB of UTF-16 code units but 6 MB … of UTF-8 too (2 bytes each): under; "€" is 3 bytes: over.
    expect(checkDocumentText(`"${'é'.repeat(3_000_000)}"`)).toBeUndefined();
    expect(checkDocumentText(`"${'€'.repeat(3_000_000)}"`)?.message).toMatch(/^The document is 8\.\d MB or more; at most 8\.0 MB are allowed\.$/);
  });

  it('names a 5 MB id, quoting only its first 60 characters', () => {
    const id = 'a'.repeat(5_000_000);
    const doc = smallDoc();
    const text = JSON.stringify({ ...doc, nodes: [{ ...doc.nodes[0], id }, ...doc.nodes.slice(1)] });
    expect(refusal(text)).toBe(`Node #1's id is 5,000,000 characters long ("${'a'.repeat(60)}…"); at most 200 are allowed.`);
  });

  it('names each bounded field: label, type, port, edge ends, the graph name, any other text', () => {
    const doc = smallDoc();
    const long = (n: number) => 'b'.repeat(n);
    const cases: [object, RegExp][] = [
      [{ ...doc, nodes: [{ ...doc.nodes[0], label: long(1001) }] }, /^Node "x"'s label is 1,001 characters long \("b{60}…"\); at most 1,000 are allowed\.$/],
      [{ ...doc, nodes: [{ ...doc.nodes[0], type: long(101) }] }, /^Node "x"'s type is 101 characters long .*at most 100 are allowed\.$/],
      [
        { ...doc, edges: [{ ...doc.edges[0], from: { node: 'x', port: long(101) } }] },
        /^Edge #1's from\.port is 101 characters long .*at most 100 are allowed\.$/,
      ],
      [{ ...doc, edges: [{ ...doc.edges[0], to: { node: long(201), port: 'x' } }] }, /^Edge #1's to\.node is 201 characters long .*at most 200 are allowed\.$/],
      [{ ...doc, edges: [{ ...doc.edges[0], id: long(201) }] }, /^Edge #1's id is 201 characters long/],
      [{ ...doc, meta: { name: long(1001) } }, /^The graph name is 1,001 characters long/],
      [
        { ...doc, meta: { name: 'x', description: long(100_001) } },
        /^meta\.description is a text of 100,001 characters \("b{60}…"\); at most 100,000 are allowed\.$/,
      ],
      [{ ...doc, nodes: [{ ...doc.nodes[0], params: { [long(100_001)]: 1 } }] }, /^nodes\[0\]\.params is a text of 100,001 characters/],
    ];
    for (const [raw, message] of cases) expect(refusal(JSON.stringify(raw))).toMatch(message);
  });

  it('bounds node and edge counts', () => {
    const doc = smallDoc();
    const nodes = Array.from({ length: DOCUMENT_LIMITS.nodes + 1 }, (_, i) => ({ id: `n${i}`, type: 'ReLU' }));
    expect(refusal(JSON.stringify({ ...doc, nodes }))).toBe('The document has 5,001 nodes; at most 5,000 are allowed.');
    const edges = Array.from({ length: DOCUMENT_LIMITS.edges + 1 }, (_, i) => ({ id: `e${i}`, from: { node: 'x', port: 'y' }, to: { node: 'd', port: 'x' } }));
    expect(refusal(JSON.stringify({ ...doc, edges }))).toBe('The document has 20,001 edges; at most 20,000 are allowed.');
  });

  it('bounds the rank and element count of shape parameters', () => {
    const doc = smallDoc();
    const shaped = (shape: unknown) => JSON.stringify({ ...doc, nodes: [{ ...doc.nodes[0], params: { field: 'x', shape } }, ...doc.nodes.slice(1)] });
    expect(refusal(shaped([1, 1, 1, 1, 1, 1, 1, 1, 1]))).toBe('Node "x"\'s shape has 9 dimensions; at most 8 are allowed.');
    expect(refusal(shaped([100000, 100000]))).toBe('Node "x"\'s shape [100000, 100000] holds 1.00e+10 elements; at most 268,435,456 are allowed.');
    expect(parseDocument(shaped([16384, 16384])).ok).toBe(true);
  });

  it('reports tensors over the element limit that only inference finds (a huge Dense)', () => {
    const doc = smallDoc();
    const huge = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'd' ? { ...n, params: { units: 200_000_000 } } : n)) };
    const errors = validateDocument(huge).errors.filter((e) => e.node === 'd');
    expect(errors.map((e) => e.message)).toEqual([
      'Node "d" holds 6.00e+8 parameters; at most 268,435,456 are allowed.',
      'Node "d"\'s output "y" holds 6.40e+9 elements; at most 268,435,456 are allowed.',
    ]);
  });

  it('walks a cyclic value without hanging', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(checkDocumentValue({ ...smallDoc(), meta: { name: 'x', a } })?.message).toMatch(/nests more than 64 levels/);
  });

  it('clips quotes with an ellipsis', () => {
    expect(clip('abc', 2)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
