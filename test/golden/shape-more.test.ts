// Shape and creation ops against PyTorch 1.13 bit for bit (fixtures/torch/shape-more.json, written by
// make_shape_more.py): the draws of randLike, randnLike and randintLike for inputs whose elements overlap (an
// expand, a meshgrid's outputs), which PyTorch's empty_like lays out row-major, or permuted; and arange's fractional
// steps, where PyTorch's compiled kernel rounds start + step·i once (a fused multiply-add).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, manualSeed, meshgrid, rand, randintLike, randLike, randnLike, zeros, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Like { layout: string; shape: number[]; fn: string; values: number[]; after: number }
interface Fixture {
  likes: Like[];
  arange: { args: [number, number, number]; values: number[] }[];
}
const fx = loadFixture<Fixture>('shape-more.json');

const reversed = (n: number): number[] => Array.from({ length: n }, (_, i) => n - 1 - i);

/** The input as the script makes it (see make_shape_more.py). */
function likeInput(layout: string, shape: number[]): Tensor {
  if (layout.startsWith('e')) {
    const k = Number(layout.slice(1));
    return zeros(shape.map((s, d) => (d === k ? 1 : s))).expand(shape);
  }
  if (layout === 'p') return zeros([...shape].reverse()).permute(reversed(shape.length));
  if (layout === 'pe') return zeros([1, ...shape.slice(1).reverse()]).permute([0, ...reversed(shape.length - 1).map((d) => d + 1)]).expand(shape);
  const [xx, yy] = meshgrid([arange(3), arange(4)], { indexing: 'ij' });
  return layout === 'mx' ? xx! : yy!;
}

test('randLike, randnLike and randintLike draw as PyTorch\'s for expanded, permuted and meshgrid inputs', () => {
  assert.ok(fx.likes.length >= 30);
  for (const c of fx.likes) {
    manualSeed(11);
    const x = likeInput(c.layout, c.shape);
    const t = c.fn === 'rand_like' ? randLike(x) : c.fn === 'randn_like' ? randnLike(x) : randintLike(x, 7);
    const label = `${c.fn} of layout ${c.layout} ${JSON.stringify(c.shape)}`;
    assert.deepEqual(Array.from(t.values()), c.values.map(Math.fround), label);
    assert.equal(rand(1).item(), Math.fround(c.after), `${label}: the generator afterwards`);
  }
});

test('arange with a fractional step gives torch.arange\'s values bit for bit (start + step·i rounded once)', () => {
  for (const c of fx.arange) {
    const got = Array.from(arange(...c.args).values());
    assert.deepEqual(got, c.values.map(Math.fround), `arange(${c.args.join(', ')})`);
  }
});
