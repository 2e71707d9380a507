// nn.MultiheadAttention in the engine: the gradients of the query, key, value and every parameter against central
// differences of a float64 reference of the attention (self-attention, three tensors, kdim/vdim, masks, key padding,
// unbatched, batchFirst, per-head weights), masks in both forms, parameter assignment, and the refusals of bad
// options and mask values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, nn, noGrad, tensor, zeros } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { refAttention, packed } from './attention-ref.js';
import { ref, reshape, transpose, type Ref } from './ref.js';

/** Parameters with random values (nonzero biases), so every gradient path carries something. */
function randomise(m: nn.MultiheadAttention, rng: Rng): void {
  noGrad(() => {
    for (const p of m.parameters()) p.copy_(leaf(rng, p.shape, { lo: -0.6, hi: 0.6 }).detach());
  });
}

test('gradcheck: self-attention, output and weights, against a float64 reference (query, every parameter)', () => {
  const rng = new Rng(11);
  const m = new nn.MultiheadAttention(4, 2);
  randomise(m, rng);
  const x = leaf(rng, [3, 2, 4]);
  const [params, split] = packed(m);
  gradcheck('mha self output', { leaves: [x, ...params], forward: () => m.forward(x, x, x)[0], reference: ([r, ...ps]) => refAttention(r!, r!, r!, split(ps), 2, null)[0] });
  // The weights do not depend on out_proj: its parameters stay in the reference's inputs, fixed.
  const outProj = params.slice(2).map((t) => ref(t.toArray(), t.shape));
  gradcheck('mha self weights', {
    leaves: [x, ...params.slice(0, 2)], forward: () => m.forward(x, x, x)[1]!, reference: ([r, ...ps]) => refAttention(r!, r!, r!, split([...ps, ...outProj]), 2, null)[1],
  });
});

test('gradcheck: three tensors with kdim/vdim (separate projection weights), a float mask, batchFirst', () => {
  const rng = new Rng(12);
  const m = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5, batchFirst: true });
  randomise(m, rng);
  const q = leaf(rng, [2, 2, 4]);
  const k = leaf(rng, [2, 3, 3]);
  const v = leaf(rng, [2, 3, 5]);
  const maskValues = [0, -1, 0.5, 0.25, 0, -2];
  const mask = tensor(maskValues, [2, 3]);
  const [params, split] = packed(m);
  const seqFirst = (r: Ref): Ref => transpose(r, 0, 1);
  gradcheck('mha kdim vdim output', {
    leaves: [q, k, v, ...params],
    forward: () => m.forward(q, k, v, { attnMask: mask })[0],
    reference: ([rq, rk, rv, ...ps]) => seqFirst(refAttention(seqFirst(rq!), seqFirst(rk!), seqFirst(rv!), split(ps), 2, ref(maskValues, [2, 3]))[0]),
  });
});

test('gradcheck: a boolean key padding mask and per-head weights; unbatched inputs', () => {
  const rng = new Rng(13);
  const m = new nn.MultiheadAttention(4, 2, { bias: false });
  randomise(m, rng);
  const q = leaf(rng, [2, 2, 4]);
  const kv = leaf(rng, [3, 2, 4]);
  const padding = tensor([[0, 1, 0], [0, 0, 1]]);
  // Padding as an additive mask per (batch, head): −∞ where padded.
  const additive = ref([0, -Infinity, 0, 0, -Infinity, 0, 0, 0, -Infinity, 0, 0, -Infinity].map((x) => x), [4, 1, 3]);
  const [params, split] = packed(m);
  gradcheck('mha key padding', {
    leaves: [q, kv, ...params],
    forward: () => m.forward(q, kv, kv, { keyPaddingMask: { bool: padding } })[0],
    reference: ([rq, rkv, ...ps]) => refAttention(rq!, rkv!, rkv!, split(ps), 2, additive)[0],
  });
  // The same in one float tensor: −∞ where padded, added to the scores.
  const asFloat = tensor([[0, -Infinity, 0], [0, 0, -Infinity]]);
  const a = m.forward(q, kv, kv, { keyPaddingMask: { bool: padding } });
  const b = m.forward(q, kv, kv, { keyPaddingMask: asFloat });
  assert.deepEqual(Array.from(a[0].toArray()), Array.from(b[0].toArray()));
  assert.deepEqual(Array.from(a[1]!.toArray()), Array.from(b[1]!.toArray()));
  // Padded keys get no weight.
  const w = Array.from(a[1]!.toArray());
  for (const [n, s] of [[0, 1], [1, 2]] as const) for (let l = 0; l < 2; l++) assert.equal(w[n * 6 + l * 3 + s], 0);
  // Unbatched: the batched computation on one sequence, without the batch dimension.
  const u = leaf(rng, [3, 4]);
  const [ub, ubw] = m.forward(u, u, u, { averageAttnWeights: false });
  const [bb, bbw] = m.forward(u.unsqueeze(1), u.unsqueeze(1), u.unsqueeze(1), { averageAttnWeights: false });
  assert.deepEqual(ub.shape, [3, 4]);
  assert.deepEqual(ubw!.shape, [2, 3, 3]);
  assert.deepEqual(Array.from(ub.toArray()), Array.from(bb.toArray()));
  assert.deepEqual(Array.from(ubw!.toArray()), Array.from(bbw!.toArray()));
  gradcheck('mha unbatched', {
    leaves: [u, ...params],
    forward: () => m.forward(u, u, u)[0],
    reference: ([r, ...ps]) => reshape(refAttention(reshape(r!, [3, 1, 4]), reshape(r!, [3, 1, 4]), reshape(r!, [3, 1, 4]), split(ps), 2, null)[0], [3, 4]),
  });
});

test('a boolean mask hides where it is nonzero (any nonzero value), as PyTorch\'s True; needWeights false gives null', () => {
  const m = new nn.MultiheadAttention(4, 2);
  const x = tensor([[[0.1, 0.2, -0.3, 0.4]], [[0.5, -0.6, 0.7, 0.8]], [[-0.9, 1.0, 0.3, -0.2]]]);
  const causal = tensor([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
  const [, w] = m.forward(x, x, x, { attnMask: { bool: causal.mul(-3.5) } });
  const wv = Array.from(w!.toArray());
  assert.deepEqual([wv[1], wv[2], wv[5]], [0, 0, 0]);
  assert.equal(wv[0], 1);
  const [o, none] = m.forward(x, x, x, { needWeights: false });
  assert.equal(none, null);
  assert.deepEqual(o.shape, [3, 1, 4]);
});

test('parameters are PyTorch\'s members: camelCase accessors, replaced only by nn.Parameter; snake_case names refused', () => {
  const m = new nn.MultiheadAttention(4, 2, { kdim: 3 });
  assert.equal(m.inProjWeight, null);
  assert.deepEqual(m.qProjWeight!.shape, [4, 4]);
  assert.deepEqual(m.kProjWeight!.shape, [4, 3]);
  assert.deepEqual(m.vProjWeight!.shape, [4, 4]);
  assert.deepEqual(m.inProjBias!.shape, [12]);
  assert.deepEqual(Array.from(m.inProjBias!.toArray()), new Array(12).fill(0));
  assert.deepEqual(Array.from(m.outProj.bias!.toArray()), [0, 0, 0, 0]);
  assert.ok(m.outProj instanceof nn.Linear);
  assert.throws(() => { m.kProjWeight = zeros(4, 3); }, { name: 'TypeError' });
  const p = new nn.Parameter(zeros(4, 3));
  m.kProjWeight = p;
  assert.equal(m.namedParameters().find(([n]) => n === 'k_proj_weight')![1], p);
  assert.throws(() => (m as unknown as { in_proj_weight: unknown }).in_proj_weight, { name: 'TypeError', message: /Kindling's is layer\.inProjWeight/ });
  assert.throws(() => (m as unknown as { _reset_parameters(): void })._reset_parameters(), { message: /resetParameters\(\)/ });
});

test('bad options and masks are refused with clear messages', () => {
  const x = zeros(3, 2, 4);
  const m = new nn.MultiheadAttention(4, 2);
  assert.throws(() => new nn.MultiheadAttention(4, 2, { addBiasKv: 1 } as never), { name: 'TypeError', message: /addBiasKv must be true or false, got the number 1/ });
  assert.throws(() => new nn.MultiheadAttention(4, 2, { addZeroAttn: 'yes' } as never), { name: 'TypeError', message: /addZeroAttn must be true or false/ });
  assert.throws(() => new nn.MultiheadAttention(5, 2), (e: unknown) => e instanceof KindlingError && /embed_dim must be divisible by num_heads/.test(e.message));
  assert.throws(() => new nn.MultiheadAttention(0, 2), { name: 'RangeError', message: /embedDim must be a positive integer, got the number 0/ });
  assert.throws(() => new nn.MultiheadAttention(4, 2.5), { name: 'RangeError', message: /numHeads must be a positive integer/ });
  assert.throws(() => new nn.MultiheadAttention(4, 2, { dropout: 1.5 }), { name: 'RangeError', message: /dropout must be a probability in \[0, 1\], got the number 1\.5/ });
  assert.throws(() => new nn.MultiheadAttention(4, 2, { batch_first: true } as never), { name: 'TypeError', message: /did you mean batchFirst\?/ });
  assert.throws(() => new nn.MultiheadAttention(4, 2, { bias: 1 } as never), { name: 'TypeError', message: /bias must be true or false/ });
  assert.throws(() => m.forward(x, x, x, { attn_mask: zeros(3, 3) } as never), { name: 'TypeError', message: /did you mean attnMask\?/ });
  assert.throws(() => m.forward(x, x, x, { attnMask: [[0]] } as never), { name: 'TypeError', message: /attnMask must be a Tensor .* or \{ bool: Tensor \}/ });
  assert.throws(() => m.forward(x, x, x, { keyPaddingMask: { bool: [1] } } as never), { name: 'TypeError', message: /keyPaddingMask\.bool must be a Tensor/ });
  assert.throws(() => m.forward(x, x, x, { keyPaddingMask: { float: zeros(2, 3) } } as never), { name: 'TypeError', message: /keyPaddingMask must be a Tensor/ });
  assert.throws(() => m.forward(x, x, x, { needWeights: 'no' } as never), { name: 'TypeError', message: /needWeights must be true or false/ });
  assert.throws(() => m.forward(x, x, x, { attnMask: zeros(3, 3), keyPaddingMask: zeros(2, 3) }), { name: 'KindlingError', message: /a float keyPaddingMask together with a float attnMask is not supported/ });
  assert.throws(() => m.forward(x, [1] as never, x), { name: 'TypeError', message: /key must be a Tensor/ });
  assert.throws(() => m.forward(x, x), { name: 'TypeError', message: /value must be a Tensor/ });
});

test('saved through its state dict: saveFile(path, stateDict()) and nn.loadWeights give the same outputs; model files refuse it naming the layer', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { manualSeed, randn, saveFile } = await import('../../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'kindling-mha-'));
  try {
    manualSeed(3);
    const m = new nn.MultiheadAttention(6, 3, { kdim: 4, vdim: 2 });
    const path = join(dir, 'mha.safetensors');
    saveFile(path, m.stateDict());
    manualSeed(4);
    const back = new nn.MultiheadAttention(6, 3, { kdim: 4, vdim: 2 });
    assert.notDeepEqual(Array.from(back.qProjWeight!.toArray()), Array.from(m.qProjWeight!.toArray()));
    assert.deepEqual(nn.loadWeights(back, path), { missingKeys: [], unexpectedKeys: [] });
    const [q, k, v] = [randn(2, 1, 6), randn(3, 1, 4), randn(3, 1, 2)];
    assert.deepEqual(Array.from(back.forward(q, k, v)[0].toArray()), Array.from(m.forward(q, k, v)[0].toArray()));
    assert.throws(() => m.save(join(dir, 'model.safetensors')), { message: /cannot describe model \(MultiheadAttention\).*save the weights alone with saveFile\(path, model\.stateDict\(\)\)/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
