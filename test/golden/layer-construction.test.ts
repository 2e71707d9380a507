// How PyTorch 1.13 makes its layers, against fixtures/torch/layer-construction.json (from
// make_layer_construction.py): the zero sizes it takes (empty parameters, the generator left where PyTorch leaves
// it), the lazy instance norms' defaults (affine and running statistics), its positional arguments and the keywords
// device='cpu' and dtype=torch.float32, and the printing of Hardtanh's and Upsample's defaults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, rand, type Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Options = Record<string, unknown>;
interface ZeroCase {
  label: string; name: string; args: unknown[]; options: Options; seed: number; repr: string;
  parameters: { name: string; shape: number[]; value?: EncodedTensor }[]; buffers: { name: string; shape: number[] }[]; next: EncodedTensor;
}
interface LazyCase {
  name: string; options: Options; shape: number[]; repr: string; class: string; parameters: string[]; buffers: string[]; stateDict: string[];
  weight: EncodedTensor | null; bias: EncodedTensor | null; numBatchesTracked: number | null;
}
interface PositionalCase { name: string; args: unknown[]; options: Options; repr: string; attrs: Record<string, unknown>; parameters: [string, number[]][] }
interface PrintingCase { name: string; args: unknown[]; options: Options; repr: string }
interface Fixture { zero: ZeroCase[]; lazy: LazyCase[]; positional: PositionalCase[]; printing: PrintingCase[] }

const fx = loadFixture<Fixture>('layer-construction.json');

/** A layer of `nn` made as the fixture's call: its arguments by position, then its options when it has any. */
function make(name: string, args: readonly unknown[], options: Options): nn.Module {
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[name]!;
  return Object.keys(options).length === 0 ? new Cls(...args) : new Cls(...args, options);
}

/** A tensor's values, row-major, as plain numbers. */
const flat = (t: Tensor): number[] => Array.from(t.flatten().toArray() as Float32Array);

const call = (c: { name: string; args: unknown[]; options: Options }): string =>
  `${c.name}(${[...c.args.map((a) => JSON.stringify(a)), ...(Object.keys(c.options).length ? [JSON.stringify(c.options)] : [])].join(', ')})`;

for (const c of fx.zero) {
  test(`nn.${c.label}: PyTorch 1.13 takes the zero size; empty parameters, PyTorch's values and random stream`, () => {
    manualSeed(c.seed);
    const m = make(c.name, c.args, c.options);
    assert.deepEqual([...rand([3]).toArray()], values(c.next), 'the generator is left where PyTorch leaves it');
    const params = m.namedParameters();
    assert.deepEqual(params.map(([n, p]) => [n, p.shape]), c.parameters.map((p) => [p.name, p.shape]));
    for (const p of c.parameters) {
      if (p.value !== undefined) assert.deepEqual(flat(params.find(([n]) => n === p.name)![1]), values(p.value), p.name);
    }
    assert.deepEqual(m.namedBuffers().filter(([, b]) => b !== null).map(([n, b]) => [n, b!.shape]), c.buffers.map((b) => [b.name, b.shape]));
    if (!c.repr.includes('\n')) assert.equal(String(m), c.repr);
  });
}

for (const c of fx.lazy) {
  test(`nn.${c.name}(${JSON.stringify(c.options)}): PyTorch 1.13's defaults affine=True, track_running_stats=True`, () => {
    const m = make(c.name, [], c.options);
    m.forward(rand(c.shape));
    assert.equal(String(m), c.repr);
    assert.equal(m.constructor.name, c.class);
    assert.deepEqual(m.namedParameters().map(([n]) => n), c.parameters);
    assert.deepEqual(m.namedBuffers().filter(([, b]) => b !== null).map(([n]) => n), c.buffers);
    assert.deepEqual(Object.keys(m.stateDict()), c.stateDict);
    const norm = m as unknown as { weight: Tensor | null; bias: Tensor | null; numBatchesTracked: Tensor | null };
    assert.deepEqual(norm.weight === null ? null : flat(norm.weight), c.weight === null ? null : values(c.weight));
    assert.deepEqual(norm.bias === null ? null : flat(norm.bias), c.bias === null ? null : values(c.bias));
    assert.equal(norm.numBatchesTracked === null ? null : norm.numBatchesTracked.item(), c.numBatchesTracked);
  });
}

/** Kindling's name of a PyTorch attribute, and where a Transformer layer keeps it. */
function attribute(m: nn.Module, pyName: string): unknown {
  const key = pyName.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const own = (m as unknown as Record<string, unknown>)[key];
  return own !== undefined ? own : ((m as unknown as { settings?: Record<string, unknown> }).settings ?? {})[key];
}

for (const c of fx.positional) {
  test(`new nn.${call(c)}: bound as PyTorch 1.13's signature binds it`, () => {
    const m = make(c.name, c.args, c.options);
    if (!c.repr.includes('\n')) assert.equal(String(m), c.repr);
    for (const [k, v] of Object.entries(c.attrs)) {
      const mine = attribute(m, k);
      // PyTorch keeps RNN's mode as a string and its nonlinearity, Kindling the same names.
      assert.deepEqual(mine, v, `${k}: ${String(mine)}, PyTorch's ${String(v)}`);
    }
    assert.deepEqual(m.namedParameters().map(([n, p]) => [n, p.shape]), c.parameters);
  });
}

for (const c of fx.printing) {
  test(`nn.${call(c)} prints as PyTorch's: ${c.repr}`, () => {
    assert.equal(String(make(c.name, c.args, c.options)), c.repr);
  });
}
