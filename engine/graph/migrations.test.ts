import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, emptyDocument, type GraphDocument } from './document';
import { GRAPH_ERROR_CODES, formatError } from './errors';
import v0Fixture from './fixtures/v0-test.json';
import { MIGRATIONS, migrate, parseDocument, type Migration, type ReadResult } from './migrations';

/** The version-0 fixture as the text of a saved file. */
const v0Text = JSON.stringify(v0Fixture);

type Json = Record<string, unknown>;

/**
 * A fictional version 0, for testing the mechanism only: nodes had `kind` and `pos: [x, y]`,
 * edges were `[fromNode, fromPort, toNode, toPort]` tuples without ids.
 */
const v0ToV1: Migration = {
  name: 'test-v0-kind-pos-tuple-edges',
  from: 0,
  to: 1,
  up(doc) {
    const d = doc as Json;
    const nodes = (d.nodes as Json[]).map(({ kind, pos, ...rest }) => {
      const [x, y] = pos as [number, number];
      return { ...rest, type: kind, position: { x, y } };
    });
    const edges = (d.edges as string[][]).map(([fromNode, fromPort, toNode, toPort], i) => ({
      id: `e${i + 1}`,
      from: { node: fromNode, port: fromPort },
      to: { node: toNode, port: toPort },
    }));
    return { ...d, nodes, edges };
  },
};
const TEST_MIGRATIONS: readonly Migration[] = [v0ToV1, ...MIGRATIONS];

function expectFailure(result: ReadResult): Extract<ReadResult, { ok: false }> {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result.doc)}`);
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(GRAPH_ERROR_CODES).toContain(e.code);
    expect(e.message).toMatch(/\S.*\.$/s);
  }
  return result;
}

describe('migrate', () => {
  it('upgrades the version-0 fixture through the test migration to this exact document', () => {
    const raw = JSON.parse(v0Text) as unknown;
    const before = structuredClone(raw);
    const result = migrate(raw, TEST_MIGRATIONS);
    expect(result).toEqual({
      ok: true,
      doc: {
        format: 'wiregrad.graph',
        version: CURRENT_VERSION,
        nodes: [
          { id: 'x', type: 'Input', params: { field: 'x', shape: [2] }, position: { x: 0, y: 0 } },
          { id: 't', type: 'Input', params: { field: 'y', shape: [1] }, position: { x: 0, y: 160 } },
          { id: 'fit', type: 'Dense', params: { units: 1 }, position: { x: 220, y: 40 }, label: 'Line fit' },
          { id: 'loss', type: 'MSELoss', params: {}, position: { x: 440, y: 90 } },
        ],
        edges: [
          { id: 'e1', from: { node: 'x', port: 'y' }, to: { node: 'fit', port: 'x' } },
          { id: 'e2', from: { node: 'fit', port: 'y' }, to: { node: 'loss', port: 'pred' } },
          { id: 'e3', from: { node: 't', port: 'y' }, to: { node: 'loss', port: 'target' } },
        ],
        training: {
          dataset: { kind: 'plane', size: 512, noise: 0.05 },
          optimizer: { type: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
          lr: 0.01,
          schedule: { type: 'constant', warmupSteps: 0 },
          batchSize: 32,
          epochs: 10,
          seed: 42,
          validationSplit: 0.2,
        },
        meta: { name: 'Fit a plane', created: '2024-05-01T12:00:00.000Z' },
      } satisfies GraphDocument,
    });
    expect(raw).toEqual(before);
  });

  it('cannot read version 0 with the real (empty) migration list', () => {
    const { errors } = expectFailure(parseDocument(v0Text));
    expect(errors).toEqual([expect.objectContaining({ code: 'unsupported_version', path: 'version' })]);
    expect(errors[0].message).toContain('version 0');
  });

  it('applies migrations as a chain, in order, and stamps each target version', () => {
    const seen: string[] = [];
    const step = (name: string, from: number, to: number): Migration => ({
      name,
      from,
      to,
      up: (doc) => {
        seen.push(`${name}@${(doc as Json).version}`);
        return { ...(doc as Json), trail: [...(((doc as Json).trail as string[]) ?? []), name] };
      },
    });
    // Listed out of order on purpose: migrate follows `from`, not list position.
    const chain = [step('b', -1, 0), step('a', -2, -1), v0ToV1, ...MIGRATIONS];
    const raw = { ...(JSON.parse(v0Text) as Json), version: -2 };
    const result = migrate(raw, chain);
    expect(result.ok).toBe(true);
    expect(seen).toEqual(['a@-2', 'b@-1']);
  });

  it('refuses a document from a newer Wiregrad', () => {
    const doc = { ...emptyDocument('future'), version: CURRENT_VERSION + 1 };
    const { errors } = expectFailure(migrate(doc));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'unsupported_version', path: 'version' });
    expect(errors[0].message).toMatch(/newer Wiregrad/);
    expect(errors[0].message).toContain(`version ${CURRENT_VERSION + 1}`);
  });

  it.each([
    ['no format', { version: 1, nodes: [], edges: [], meta: { name: 'a' } }],
    ['another format', { format: 'keras.model', version: 1 }],
    ['format of the wrong type', { format: ['wiregrad.graph'], version: 1 }],
  ])('refuses %s', (_, raw) => {
    const { errors } = expectFailure(migrate(raw));
    expect(errors).toEqual([expect.objectContaining({ code: 'bad_format', path: 'format' })]);
  });

  it.each([undefined, '1', 1.5, null, Number.NaN])('refuses version %s', (version) => {
    const { errors } = expectFailure(migrate({ format: 'wiregrad.graph', version, nodes: [], edges: [], meta: { name: 'a' } }));
    expect(errors).toEqual([expect.objectContaining({ code: 'unsupported_version', path: 'version' })]);
  });

  it('reports a migration that throws or returns junk, naming it', () => {
    const boom: Migration = {
      name: 'boom',
      from: 0,
      to: 1,
      up: () => {
        throw new Error('nodes is not an array');
      },
    };
    const junk: Migration = { name: 'junk', from: 0, to: 1, up: () => 7 };
    const raw = JSON.parse(v0Text) as unknown;
    expect(expectFailure(migrate(raw, [boom])).errors[0].message).toMatch(/boom.*nodes is not an array/);
    expect(expectFailure(migrate(raw, [junk])).errors[0].message).toMatch(/junk/);
    // The v0 migration itself given a broken v0 document: an error, not an exception.
    expect(expectFailure(migrate({ format: 'wiregrad.graph', version: 0, nodes: 3 }, TEST_MIGRATIONS)).errors[0].code).toBe('schema');
  });

  it('refuses a migration list that would not end at the current version', () => {
    const overshoot: Migration = { name: 'overshoot', from: 0, to: CURRENT_VERSION + 1, up: (d) => d };
    const backwards: Migration = { name: 'backwards', from: 0, to: 0, up: (d) => d };
    const raw = JSON.parse(v0Text) as unknown;
    expect(expectFailure(migrate(raw, [overshoot])).errors[0].code).toBe('unsupported_version');
    expect(expectFailure(migrate(raw, [backwards])).errors[0].code).toBe('unsupported_version');
  });

  it('turns schema problems into errors on the node, edge and param they point into', () => {
    const doc = emptyDocument('broken', new Date('2024-01-01T00:00:00Z')) as unknown as Json;
    doc.nodes = [
      { id: 'ok', type: 'ReLU' },
      { id: 'd1', label: 'Hidden', type: 'Dense', position: { x: 'left', y: 0 } },
      { id: 'p', type: 'Dense', params: 'units=3' },
      { type: 'Dense' },
    ];
    doc.edges = [{ id: 'e1', from: { node: 'ok', port: 'y' }, to: { node: 'd1' } }];
    doc.meta = { name: 'broken', created: 'yesterday' };
    const { errors } = expectFailure(migrate(doc));
    expect(errors).toEqual([
      expect.objectContaining({ code: 'schema', node: 'd1', path: 'nodes[1].position.x' }),
      expect.objectContaining({ code: 'schema', node: 'p', path: 'nodes[2].params' }),
      expect.objectContaining({ code: 'schema', path: 'nodes[3].id' }),
      expect.objectContaining({ code: 'schema', edge: 'e1', path: 'edges[0].to.port' }),
      expect.objectContaining({ code: 'schema', path: 'meta.created' }),
    ]);
    expect(errors[0].message).toMatch(/^Node "Hidden": position\.x/);
    expect(errors[2].node).toBeUndefined();
    expect(errors[2].message).toBe('Node #4: id is missing.');
    expect(errors[3].message).toBe('Edge "e1": to.port is missing.');
    expect(errors[4].message).toMatch(/^Graph info: created/);
  });

  it("sets param when a schema problem is inside a node's params", () => {
    const doc = { ...emptyDocument('x'), nodes: [{ id: 'n', type: 'Dense', params: { units: 1 } }] } as unknown as Json;
    // Params are free-form here (checkStructure validates them), so only a non-object fails the schema.
    expect(migrate(doc).ok).toBe(true);
    const bad = { ...doc, nodes: [{ id: 'n', type: 'Dense', params: [] }] };
    expect(expectFailure(migrate(bad)).errors[0]).toMatchObject({ node: 'n', path: 'nodes[0].params' });
  });

  it('reports an unknown dataset kind in the training settings', () => {
    const doc = { ...emptyDocument('x'), training: { dataset: { kind: 'imagenet' }, lr: -1 } };
    const { errors } = expectFailure(migrate(doc));
    expect(errors.map((e) => e.path)).toEqual(['training.dataset.kind', 'training.lr']);
    expect(errors[0].message).toMatch(/^Training settings: dataset\.kind/);
  });
});

describe('parseDocument', () => {
  it('round-trips a saved document', () => {
    const doc = emptyDocument('Round trip', new Date('2024-02-03T04:05:06.000Z'));
    doc.nodes.push({ id: 'a', type: 'Input', params: { shape: [3] }, position: { x: 1.5, y: -2 }, label: 'Features' });
    expect(parseDocument(JSON.stringify(doc))).toEqual({ ok: true, doc });
    expect(MIGRATIONS.every((m) => m.to <= CURRENT_VERSION)).toBe(true);
  });

  it('refuses invalid JSON, saying where', () => {
    const { errors } = expectFailure(parseDocument('{\n  "format": "wiregrad.graph",\n  "nodes": [1, 2\n}'));
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('invalid_json');
    expect(errors[0].message).toMatch(/^This file is not valid JSON: /);
    expect(errors[0].message).toMatch(/line 4/);
  });

  it.each(['', '   ', 'nope', '{"a":1,}', '\u0000'])('refuses %j as invalid JSON', (text) => {
    expect(expectFailure(parseDocument(text)).errors[0].code).toBe('invalid_json');
  });

  it('never throws on deeply nested input', () => {
    const depth = 100_000;
    const deep = `{"format":"wiregrad.graph","version":1,"nodes":[${'['.repeat(depth)}${']'.repeat(depth)}],"edges":[],"meta":{"name":"d"}}`;
    // Refused by its depth before JSON.parse or zod see it (./limits).
    expect(expectFailure(parseDocument(deep)).errors[0]).toMatchObject({
      code: 'schema',
      message: 'The document nests 100,002 levels deep; at most 64 are allowed.',
    });
    expect(expectFailure(parseDocument('['.repeat(depth))).errors[0].message).toBe('The document nests 100,000 levels deep; at most 64 are allowed.');
    expect(expectFailure(parseDocument('['.repeat(10))).errors[0].code).toBe('invalid_json');
  });
});

describe('junk never throws', () => {
  const nested = (depth: number): unknown => {
    let x: unknown = { nodes: 'x' };
    for (let i = 0; i < depth; i++) x = i % 2 ? [x, null] : { format: 'wiregrad.graph', version: 1, nodes: [x], edges: x, meta: x, training: x };
    return x;
  };

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'wiregrad.graph'],
    ['an array', []],
    ['an object with nodes: "x"', { nodes: 'x' }],
    ['a v1 document with nodes: "x"', { format: 'wiregrad.graph', version: 1, nodes: 'x' }],
    ['deeply nested garbage', nested(2000)],
    ['nodes full of junk', { format: 'wiregrad.graph', version: 1, nodes: [null, 1, 'a', [], {}, { id: 5 }], edges: [[], {}], training: [], meta: {} }],
    ['__proto__ keys', JSON.parse('{"format":"wiregrad.graph","version":1,"__proto__":{"nodes":[]},"edges":[],"meta":{"name":"p"}}')],
  ])('%s', (_, raw) => {
    const result = migrate(raw);
    expectFailure(result);
    for (const e of (result as { errors: Parameters<typeof formatError>[0][] }).errors) expect(typeof formatError(e)).toBe('string');
  });

  it('survives random JSON values shaped roughly like documents', () => {
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const keys = [
      'format',
      'version',
      'nodes',
      'edges',
      'training',
      'meta',
      'id',
      'type',
      'params',
      'position',
      'from',
      'to',
      'node',
      'port',
      'kind',
      'name',
      'x',
      'y',
    ];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3) return [null, true, 0, -1.5, 1, 'wiregrad.graph', 'Dense', ''][Math.floor(rand() * 8)];
      if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, () => [keys[Math.floor(rand() * keys.length)], value(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const raw = { format: 'wiregrad.graph', version: rand() < 0.5 ? 1 : value(3), ...(value(0) as object) };
      const result = migrate(raw);
      expect(typeof result.ok).toBe('boolean');
    }
  });
});
