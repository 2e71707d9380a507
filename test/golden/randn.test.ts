// randn against torch.randn bit for bit (fixtures/torch/randn.json, written by make_randn.py on a machine where
// PyTorch 1.13 runs its AVX2 kernels): the scalar path under 16 values with its cached second value, the AVX2
// path from 16 on with its redrawn tail, normal_(mean, std), and long runs of both paths by hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { getDefaultGenerator, manualSeed, rand, randn } from '../../src/index.js';
import { assertBits, loadFixture } from './golden-helpers.js';

type Step = ['randn', number | number[]] | ['rand', number] | ['normal', number, number, number];
interface ValuesCase {
  label: string;
  seed: number;
  draws: { step: Step; values: number[] }[];
}
interface HashedCase {
  label: string;
  seed: number;
  kind: 'randn' | 'scalar';
  n: number;
  sha256: string;
  sum: number;
  samples: { index: number[]; values: number[] };
}

const fx = loadFixture<{ cpu_capability: string; values: ValuesCase[]; hashed: HashedCase[] }>('randn.json');


/** Runs one fixture step on the default generator, as the fixture script ran it on torch's. */
function draw(step: Step): Float32Array {
  if (step[0] === 'randn') return randn(typeof step[1] === 'number' ? [step[1]] : step[1]).toArray();
  if (step[0] === 'rand') return rand([step[1]]).toArray();
  const out = new Float32Array(step[1]);
  getDefaultGenerator().normalFill(out, step[2], step[3]);
  return out;
}

test('the fixture comes from the AVX2 path of PyTorch', () => {
  assert.equal(fx.cpu_capability, 'AVX2');
});

for (const c of fx.values) {
  test(`manualSeed(${c.seed}): ${c.label}`, () => {
    manualSeed(c.seed);
    for (const d of c.draws) {
      const got = draw(d.step);
      assertBits(got, d.values, [...got.keys()], JSON.stringify(d.step));
    }
  });
}

test('a saved generator state replays the cached value and the block fill alike', () => {
  const c = fx.values.find((v) => v.draws.some((d) => d.step[0] === 'rand'))!;
  manualSeed(c.seed);
  draw(c.draws[0]!.step); // leaves one cached value
  const gen = getDefaultGenerator();
  const state = gen.getState();
  const after = c.draws.slice(1);
  const first = after.map((d) => draw(d.step));
  gen.setState(state);
  after.forEach((d, k) => {
    const again = draw(d.step);
    assertBits(again, d.values, [...again.keys()], `replayed ${JSON.stringify(d.step)}`);
    assert.deepEqual(again, first[k]);
  });
});

for (const h of fx.hashed) {
  test(`manualSeed(${h.seed}): ${h.label}`, () => {
    manualSeed(h.seed);
    let got: Float32Array;
    if (h.kind === 'randn') {
      got = randn([h.n]).toArray();
    } else {
      const gen = getDefaultGenerator();
      got = new Float32Array(h.n);
      for (let i = 0; i < h.n; i++) got[i] = gen.normal();
    }
    assert.equal(got.length, h.n);
    assertBits(got, h.samples.values, h.samples.index, 'sample');
    let sum = 0;
    for (const v of got) sum += v;
    assert.ok(Math.abs(sum - h.sum) <= 1e-9 * Math.max(1, Math.abs(h.sum)), `float64 sum ${sum}, PyTorch's ${h.sum}`);
    const sha = createHash('sha256').update(new Uint8Array(got.buffer, got.byteOffset, got.byteLength)).digest('hex');
    assert.equal(sha, h.sha256, 'SHA-256 of the float32 bytes (little-endian)');
  });
}
