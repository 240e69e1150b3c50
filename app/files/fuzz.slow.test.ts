/**
 * Fuzzing the document gate: seeded malformed documents (deep nesting, huge strings, prototype-name
 * ids, dangling edges, wrong types, huge shapes, bad versions, truncated JSON …) go through
 * `openDocumentText` (bounds, JSON, migrations, schema, what the canvas needs), then validation and
 * shape inference when accepted (then, when valid, the memory estimate against the page's limits),
 * and salvage when refused. Each must be accepted or refused with the
 * project's own error, never throw, take under 2 s, and say nothing longer than MESSAGE_LENGTH.
 */
import { describe, expect, it } from 'vitest';
import { GRAPH_ERROR_CODES, type GraphError } from '../../engine/graph/errors';
import { inferShapes } from '../../engine/graph/infer';
import { DEFAULT_MEMORY_LIMITS, estimateMemory, memoryErrors } from '../../engine/graph/memory';
import { MESSAGE_LENGTH } from '../../engine/graph/limits';
import { NODE_SPECS } from '../../engine/graph/nodes';
import { validateDocument } from '../../engine/graph/validate';
import { TEMPLATES } from '../templates';
import { openDocumentText, serializeDocument } from './documentFile';
import { recoverDocument } from './recover';
import { seededRandom } from '../../engine/testing/random';

const SEED = 0x5eed_2026;
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 10_000);
/** No single document may take longer than this, gate, validation and salvage together. */
const SLOW_MS = 2000;

/** mulberry32: a small seeded generator, so a failure is reproducible from its index. */
const random = seededRandom;
type Random = ReturnType<typeof random>;

type Json = Record<string, unknown>;
const BASES: readonly Json[] = TEMPLATES.map((t) => JSON.parse(serializeDocument(t.build(new Date('2025-01-01T00:00:00Z')))) as Json);
const TYPES = Object.keys(NODE_SPECS);
const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then'];

function junk(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 9 : 11)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 3]);
    case 3:
      return r.pick(['', 'x', '-1', 'NaN', '1e9', '\u0000', '\ud800', '🙂'.repeat(3)]);
    case 4:
      return r.pick(PROTO_NAMES);
    case 5:
      return r.pick(TYPES);
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return Array.from({ length: r.int(12) }, () => r.pick([1, 2, 64, 1e5, 2 ** 31, -1, 0, 0.5]));
    case 9:
      return Array.from({ length: r.int(4) }, () => junk(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick([...PROTO_NAMES, 'shape', 'units', 'x', 'field']), junk(r, depth + 1)]));
  }
}

/** Every container in a value, with the key that holds each child, walked without recursion. */
function slots(root: unknown): { parent: Json | unknown[]; key: string | number }[] {
  const out: { parent: Json | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      out.push({ parent: value as Json, key });
      stack.push((value as Json)[key as string]);
    }
  }
  return out;
}

const nodesOf = (doc: Json): Json[] => (Array.isArray(doc.nodes) ? (doc.nodes as Json[]).filter((n) => typeof n === 'object' && n !== null) : []);
const edgesOf = (doc: Json): Json[] => (Array.isArray(doc.edges) ? (doc.edges as Json[]).filter((e) => typeof e === 'object' && e !== null) : []);

/** A marker replaced in the text afterwards, so nesting never passes through JSON.stringify (which recurses). */
const DEEP = '"@@deep@@"';

/** One mutation of a parsed document; some return raw text instead (truncation, deep nesting). */
const MUTATIONS: Record<string, (doc: Json, r: Random) => string | void> = {
  deepNesting(doc, r) {
    const node = r.pick(nodesOf(doc));
    if (node === undefined) return;
    node.params = { ...(node.params as Json), [r.pick(['init', 'shape', 'x'])]: '@@deep@@' };
    const depth = r.pick([60, 64, 65, 100, 1000, 20_000]);
    const [open, close] = r.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    return JSON.stringify(doc).replace(DEEP, `${open.repeat(depth)}${r.chance(0.8) ? '1' : ''}${close.repeat(r.chance(0.9) ? depth : r.int(depth))}`);
  },
  hugeString(doc, r) {
    const length = r.chance(0.05) ? r.pick([100_001, 100_001, 5_000_000]) : r.pick([101, 201, 1001, 5000]);
    const text = r.pick(['a', 'é', '"', '\\', '🙂']).repeat(length);
    const node = r.pick(nodesOf(doc));
    const edge = r.pick(edgesOf(doc));
    const where = r.int(6);
    if (where === 0 && node) node.id = text;
    else if (where === 1 && node) node.label = text;
    else if (where === 2 && node) node.type = text;
    else if (where === 3 && edge && typeof edge.from === 'object' && edge.from) (edge.from as Json).port = text;
    else if (where === 4) doc.meta = { ...(doc.meta as Json), name: text };
    else doc.meta = { ...(doc.meta as Json), description: text };
  },
  protoIds(doc, r) {
    const node = r.pick(nodesOf(doc));
    if (node === undefined) return;
    const name = r.pick(PROTO_NAMES);
    const old = node.id;
    const what = r.int(4);
    if (what === 0) {
      node.id = name;
      for (const e of edgesOf(doc)) for (const end of [e.from, e.to] as Json[]) if (end && end.node === old) end.node = name;
    } else if (what === 1) node.type = name;
    else if (what === 2) node.params = JSON.parse(`{"${name}": ${JSON.stringify(junk(r))}}`);
    else {
      const edge = r.pick(edgesOf(doc));
      if (edge) edge[r.pick(['from', 'to'])] = { node: r.chance(0.5) ? name : old, port: name };
    }
  },
  danglingEdge(doc, r) {
    const edges = Array.isArray(doc.edges) ? (doc.edges as unknown[]) : (doc.edges = []);
    const ids = nodesOf(doc).map((n) => n.id);
    edges.push({
      id: r.chance(0.2) ? 'e1' : `fz${r.int(1000)}`,
      from: { node: r.chance(0.5) ? r.pick(ids) : 'ghost', port: r.pick(['y', 'x', 'nope']) },
      to: { node: r.chance(0.5) ? r.pick(ids) : 'ghost', port: r.pick(['x', 'y', 'target']) },
    });
  },
  cycle(doc, r) {
    const ids = nodesOf(doc).map((n) => n.id);
    if (ids.length < 2) return;
    if (!Array.isArray(doc.edges)) doc.edges = [];
    (doc.edges as unknown[]).push({ id: `cyc${r.int(100)}`, from: { node: ids[ids.length - 1], port: 'y' }, to: { node: ids[r.int(ids.length)], port: 'x' } });
  },
  duplicateId(doc, r) {
    const nodes = nodesOf(doc);
    if (nodes.length < 2) return;
    r.pick(nodes).id = r.pick(nodes).id;
  },
  wrongType(doc, r) {
    const all = slots(doc);
    for (let i = 0; i < 1 + r.int(3) && all.length > 0; i++) {
      const { parent, key } = r.pick(all);
      (parent as Json)[key] = junk(r);
    }
  },
  deleteField(doc, r) {
    const all = slots(doc);
    const { parent, key } = r.pick(all);
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  },
  hugeShape(doc, r) {
    const node =
      r.pick(nodesOf(doc).filter((n) => ['Input', 'Parameter', 'Constant', 'reshape', 'Reshape'].includes(n.type as string))) ?? r.pick(nodesOf(doc));
    if (node === undefined) return;
    const rank = r.pick([0, 1, 2, 8, 9, 20, 1000]);
    const shape = Array.from({ length: rank }, () => r.pick([1, 2, -1, 0, 1e5, 2 ** 31, 2 ** 53, 1e308, 0.5, -7]));
    node.params = {
      ...(node.params as Json),
      [r.pick(['shape', 'targetShape', 'units', 'filters', 'kernelSize'])]: r.chance(0.7) ? shape : r.pick([1e9, 2 ** 31, -1, 0.5]),
    };
    if (r.chance(0.3)) doc.training = { ...(doc.training as Json), batchSize: r.pick([1e9, 0, -1, 2 ** 40]) };
  },
  overBudget(doc, r) {
    // Sizes the gate lets in (each tensor under its element limit) that the memory estimate must refuse, or not.
    const layers = nodesOf(doc).filter((n) => ['Dense', 'Conv2D', 'Embedding'].includes(n.type as string));
    const node = r.pick(layers);
    if (node && r.chance(0.6)) {
      const key = node.type === 'Conv2D' ? 'filters' : node.type === 'Embedding' ? 'dim' : 'units';
      node.params = { ...(node.params as Json), [key]: r.pick([64, 4096, 30_000, 100_000, 1_000_000]) };
    }
    const training = doc.training as Json | undefined;
    if (training && r.chance(0.4)) {
      const dataset = training.dataset as Json | undefined;
      if (r.chance(0.5) && dataset && 'size' in dataset) training.dataset = { ...dataset, size: r.pick([1000, 1e6, 1e8, 1e9]) };
      else training.batchSize = r.pick([64, 4096, 65_536, 1_000_000]);
    }
  },
  badVersion(doc, r) {
    const v = r.pick<unknown>([0, -1, 2, 99, 1.5, '1', null, 1e308, undefined, [], {}]);
    if (v === undefined) delete doc.version;
    else doc.version = v;
    if (r.chance(0.2)) doc.format = r.pick(['wiregrad.graph2', '', null, 'Wiregrad.Graph']);
  },
  randomNode(doc, r) {
    const nodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : (doc.nodes = []);
    const ids = nodesOf(doc).map((n) => n.id);
    const id = `r${r.int(100_000)}`;
    nodes.push({ id, type: r.pick(TYPES), params: junk(r), position: r.chance(0.9) ? { x: 1, y: 2 } : junk(r) });
    const edges = Array.isArray(doc.edges) ? (doc.edges as unknown[]) : (doc.edges = []);
    if (ids.length > 0)
      edges.push({ id: `re${id}`, from: { node: r.pick(ids), port: 'y' }, to: { node: id, port: r.pick(['x', 'a', 'b', 'inputs', 'pred']) } });
  },
  manyNodes(doc, r) {
    // Mostly small: big graphs cost time, and 5001 (over the limit) is refused before any deep work.
    const n = r.chance(0.9) ? r.pick([20, 50]) : r.pick([300, 5001]);
    doc.nodes = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, type: r.pick(['ReLU', 'Dense', 'Input']), params: {}, position: { x: i, y: 0 } }));
    doc.edges = Array.from({ length: n - 1 }, (_, i) => ({ id: `me${i}`, from: { node: `m${i}`, port: 'y' }, to: { node: `m${i + 1}`, port: 'x' } }));
  },
  notAnObject(_doc, r) {
    return r.pick(['null', '[]', '"wiregrad.graph"', '42', 'true', '{}', '', ' ', '\u0000', '{"format":"wiregrad.graph"}']);
  },
};
const NAMES = Object.keys(MUTATIONS);

/** One malformed document's text: a template, one to three mutations, sometimes truncated. */
function generate(r: Random): { text: string; kinds: string[] } {
  const doc = structuredClone(r.pick(BASES));
  const kinds: string[] = [];
  let text: string | undefined;
  for (let i = 0; i < 1 + r.int(3) && text === undefined; i++) {
    const kind = r.pick(NAMES);
    kinds.push(kind);
    text = MUTATIONS[kind](doc, r) ?? undefined;
  }
  text ??= JSON.stringify(doc);
  if (r.chance(0.12)) {
    kinds.push('truncated');
    text = text.slice(0, r.int(text.length));
  }
  return { text, kinds };
}

function expectOwnError(e: GraphError, where: string) {
  expect(GRAPH_ERROR_CODES, where).toContain(e.code);
  expect(typeof e.message, where).toBe('string');
  expect(e.message.length, `${where}: ${e.message.slice(0, 200)}`).toBeLessThanOrEqual(MESSAGE_LENGTH);
}

describe('fuzzing the document gate', () => {
  it(`accepts or refuses ${INPUTS.toLocaleString('en-US')} malformed documents with its own errors, quickly and briefly`, () => {
    const r = random(SEED);
    const counts = { tried: 0, refused: 0, accepted: 0, failures: 0, salvaged: 0, recovered: 0, ready: 0, overBudget: 0 };
    const byKind: Record<string, number> = {};
    const failures: string[] = [];
    let slowest = { ms: 0, wall: 0, kinds: [] as string[] };
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (let i = 0; i < INPUTS; i++) {
      const { text, kinds } = generate(r);
      for (const k of kinds) byKind[k] = (byKind[k] ?? 0) + 1;
      counts.tried++;
      const where = `input #${i} (${kinds.join(' + ')})`;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      try {
        const read = openDocumentText(text, '"fuzz.json"');
        if (read.ok) {
          counts.accepted++;
          const { errors } = validateDocument(read.doc);
          for (const e of errors) expectOwnError(e, where);
          for (const e of inferShapes(read.doc).errors) expectOwnError(e, where);
          if (!errors.length) {
            // What the editor calls ready to train is within the memory budget (the page's limits before the
            // worker reports its own); anything more is refused by the estimate with its own bounded error.
            const estimate = estimateMemory(read.doc);
            const refusals = memoryErrors(read.doc, estimate, DEFAULT_MEMORY_LIMITS);
            for (const e of refusals) expectOwnError(e, where);
            if (refusals.length) counts.overBudget++;
            else {
              expect(estimate.total, where).toBeLessThanOrEqual(DEFAULT_MEMORY_LIMITS.budget);
              counts.ready++;
            }
          }
        } else {
          counts.refused++;
          expect(read.message, where).toMatch(/^Could not open "fuzz\.json"/);
          expect(read.message.length, `${where}: ${read.message.slice(0, 200)}`).toBeLessThanOrEqual(MESSAGE_LENGTH);
          // Salvage (what an unreadable autosave goes through) on every fourth refusal: it parses the whole text again.
          if (counts.refused % 4 === 0) {
            counts.salvaged++;
            const recovered = recoverDocument(text);
            if (recovered !== undefined) {
              counts.recovered++;
              expect(openDocumentText(JSON.stringify(recovered.doc), 'recovered').ok, where).toBe(true);
            }
          }
        }
      } catch (e) {
        counts.failures++;
        if (failures.length < 10) failures.push(`${where}: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`);
      }
      // CPU time, not wall time: this machine is shared, and another process's work is not ours.
      const { user, system } = process.cpuUsage(cpu0);
      const ms = (user + system) / 1000;
      const wall = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, wall, kinds };
      if (ms > SLOW_MS) {
        counts.failures++;
        failures.push(`${where} took ${Math.round(ms)} ms of CPU time`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuUsed = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
    console.log(
      `fuzz: seed ${SEED.toString(16)}: ${counts.tried} inputs tried, ${counts.refused} refused, ${counts.accepted} accepted, ${counts.failures} failures; ` +
        `${counts.ready} accepted ones ready to train within the budget, ${counts.overBudget} refused by the memory estimate; ` +
        `${counts.salvaged} refused ones salvaged, ${counts.recovered} of them partly recovered; ` +
        `${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU); ` +
        `slowest ${slowest.ms.toFixed(0)} ms of CPU, ${slowest.wall.toFixed(0)} ms wall (${slowest.kinds.join(' + ')})\n` +
        `fuzz: mutations used: ${Object.entries(byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
    );
    expect(failures).toEqual([]);
    expect(counts.tried).toBeGreaterThanOrEqual(10_000);
    // Both outcomes are exercised, so the test can tell a gate that refuses everything from one that works.
    expect(counts.accepted).toBeGreaterThan(500);
    expect(counts.refused).toBeGreaterThan(3000);
    expect(counts.ready).toBeGreaterThan(100);
    expect(counts.overBudget).toBeGreaterThan(0);
  }, 120_000);
});
