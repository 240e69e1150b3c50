import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, DocNode, GraphDocument, emptyDocument } from './document';
import { formatError, formatPath, nodeName } from './errors';

describe('GraphDocument', () => {
  it('emptyDocument is a valid document at the current version', () => {
    const doc = emptyDocument('Untitled', new Date('2024-03-04T05:06:07.000Z'));
    expect(doc).toMatchObject({ format: 'wiregrad.graph', version: CURRENT_VERSION, nodes: [], edges: [] });
    expect(doc.meta).toEqual({ name: 'Untitled', created: '2024-03-04T05:06:07.000Z', modified: '2024-03-04T05:06:07.000Z' });
    expect(GraphDocument.parse(doc)).toEqual(doc);
  });

  it('fills node params and position, and keeps each node its own params object', () => {
    const a = DocNode.parse({ id: 'a', type: 'ReLU' });
    const b = DocNode.parse({ id: 'b', type: 'ReLU' });
    expect(a).toEqual({ id: 'a', type: 'ReLU', params: {}, position: { x: 0, y: 0 } });
    a.params.units = 3;
    a.position.x = 5;
    expect(b).toEqual({ id: 'b', type: 'ReLU', params: {}, position: { x: 0, y: 0 } });
  });

  it("keeps a node's Trainable switch when set, and leaves it absent (trainable) otherwise", () => {
    expect(DocNode.parse({ id: 'd', type: 'Dense', trainable: false }).trainable).toBe(false);
    expect('trainable' in DocNode.parse({ id: 'd', type: 'Dense' })).toBe(false);
    expect(DocNode.safeParse({ id: 'd', type: 'Dense', trainable: 'no' }).success).toBe(false);
  });

  it('fills training settings when a document has none', () => {
    const { training: _, ...doc } = emptyDocument('t');
    expect(GraphDocument.parse(doc).training).toEqual(emptyDocument('u').training);
  });

  it.each<[string, object]>([
    ['an empty node id', { nodes: [{ id: '', type: 'ReLU' }] }],
    ['an edge without ports', { edges: [{ id: 'e', from: { node: 'a' }, to: { node: 'b' } }] }],
    ['a bad timestamp', { meta: { name: 'x', created: '3 May' } }],
    ['a document without a name', { meta: {} }],
    ['another version', { version: CURRENT_VERSION + 1 }],
  ])('refuses %s', (_, change) => {
    expect(GraphDocument.safeParse({ ...emptyDocument('x'), ...change }).success).toBe(false);
  });
});

describe('errors', () => {
  it('names a node by its label, else its id', () => {
    expect(nodeName({ id: 'n1' })).toBe('"n1"');
    expect(nodeName({ id: 'n1', label: 'Hidden layer' })).toBe('"Hidden layer"');
    expect(nodeName({ id: 'n1', label: '  ' })).toBe('"n1"');
  });

  it('formats paths and errors', () => {
    expect(formatPath(['nodes', 3, 'params', 'units'])).toBe('nodes[3].params.units');
    expect(formatPath(['params', 'odd key'])).toBe('params["odd key"]');
    expect(formatError({ code: 'missing_input', message: 'Node "d": input "x" is not connected.', node: 'd', port: 'x' })).toBe(
      'missing_input: Node "d": input "x" is not connected. (node "d", port "x")',
    );
    expect(formatError({ code: 'no_loss', message: 'No loss.' })).toBe('no_loss: No loss.');
  });
});
