// matmul with operands of rank 1 to 5 against PyTorch 1.13 (fixtures/torch/matmul-nd.json, written by
// fixtures/torch/make_matmul_nd.py; this test only reads the committed file): values and both operands' gradients,
// with batch dimensions broadcast, and the shape pairs PyTorch refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matmul } from '../../src/index.js';
import { throwsWith } from '../engine/throws.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface GoldenCase {
  name: string;
  inputs: EncodedMap;
  outputs: { out: EncodedTensor };
  upstream: { out: EncodedTensor };
  grads: EncodedMap;
}

interface RefusedPair {
  a: number[];
  b: number[];
  torchMessage: string;
}

const fixture = loadFixture<{ cases: GoldenCase[]; errors: RefusedPair[] }>('matmul-nd.json');
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

test('matmul-nd.json covers ranks 1 to 5 on both sides, and refused pairs', () => {
  const ranks = (k: 'a' | 'b'): Set<number> => new Set(fixture.cases.map((c) => c.inputs[k]!.shape.length));
  for (const k of ['a', 'b'] as const) for (const r of [1, 2, 3, 4, 5]) assert.ok(ranks(k).has(r), `no case with ${k} of rank ${r}`);
  assert.ok(fixture.cases.length >= 12);
  assert.ok(fixture.errors.length > 0);
});

for (const c of fixture.cases) {
  test(`golden ${c.name}`, () => {
    const a = decode(c.inputs.a!, true);
    const b = decode(c.inputs.b!, true);
    const out = matmul(a, b);
    assertTensorClose(out, c.outputs.out, `${c.name} output`);
    // The Tensor method is the same op.
    assert.deepEqual(a.matmul(b).toArray(), out.toArray());
    out.backward(decode(c.upstream.out));
    assertTensorClose(a.grad, c.grads.a!, `${c.name} grad a`);
    assertTensorClose(b.grad, c.grads.b!, `${c.name} grad b`);
  });
}

for (const e of fixture.errors) {
  test(`refused as by PyTorch: ${fmt(e.a)} @ ${fmt(e.b)} (${e.torchMessage})`, () => {
    const a = decode({ shape: e.a, data: new Array<number>(e.a.reduce((p, d) => p * d, 1)).fill(0) });
    const b = decode({ shape: e.b, data: new Array<number>(e.b.reduce((p, d) => p * d, 1)).fill(0) });
    throwsWith(() => matmul(a, b), RangeError, 'matmul', fmt(e.a), fmt(e.b));
  });
}
