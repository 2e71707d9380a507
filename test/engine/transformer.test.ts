// nn.TransformerEncoderLayer and nn.TransformerEncoder in the engine: the gradients of the input and every parameter
// against central differences of a float64 reference (post-norm relu with a key padding mask, pre-norm with a
// function activation, a 2-layer encoder with a final norm), the copies of the encoder independent of the layer,
// use inside a Sequential, and the refusals of bad options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, noGrad, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import { packed, refAttention } from './attention-ref.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { add, layerNorm, linear, map, ref, reshape, type Ref } from './ref.js';

/** The layer's parameters as leaves and a function giving the float64 layer of them. */
function refLayer(m: nn.TransformerEncoderLayer, act: (v: number) => number, mask: Ref | null): [Tensor[], (x: Ref, ps: readonly Ref[]) => Ref] {
  const [attn, split] = packed(m.selfAttn);
  const rest = [m.linear1.weight, m.linear1.bias!, m.linear2.weight, m.linear2.bias!, m.norm1.weight!, m.norm1.bias!, m.norm2.weight!, m.norm2.bias!];
  const n = attn.length;
  const eps = m.norm1.eps;
  return [[...attn, ...rest], (x, ps) => {
    const [w1, b1, w2, b2, g1, c1, g2, c2] = ps.slice(n) as Ref[];
    const sa = (h: Ref): Ref => refAttention(h, h, h, split(ps.slice(0, n)), m.nhead, mask)[0];
    const ff = (h: Ref): Ref => linear(map(linear(h, w1!, b1!), act), w2!, b2!);
    if (m.normFirst) {
      const h = add(x, sa(layerNorm(x, 1, g1!, c1!, eps)));
      return add(h, ff(layerNorm(h, 1, g2!, c2!, eps)));
    }
    const h = layerNorm(add(x, sa(x)), 1, g1!, c1!, eps);
    return layerNorm(add(h, ff(h)), 1, g2!, c2!, eps);
  }];
}

function randomise(m: nn.Module, rng: Rng): void {
  noGrad(() => {
    for (const [name, p] of m.namedParameters()) p.copy_(leaf(rng, p.shape, name.includes('norm') && name.endsWith('weight') ? { lo: 0.6, hi: 1.4 } : { lo: -0.7, hi: 0.7 }).detach());
  });
}

test('gradcheck: a post-norm relu layer with a boolean key padding mask (input and every parameter)', () => {
  const rng = new Rng(21);
  const m = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3, dropout: 0 });
  randomise(m, rng);
  const x = leaf(rng, [3, 2, 4]);
  const padding = tensor([[0, 0, 1], [0, 0, 0]]);
  const additive = [0, 0, -Infinity, 0, 0, -Infinity, 0, 0, 0, 0, 0, 0];
  const [params, reference] = refLayer(m, (v) => Math.max(v, 0), ref(additive, [4, 1, 3]));
  gradcheck('encoder layer post-norm', {
    leaves: [x, ...params], forward: () => m.forward(x, { srcKeyPaddingMask: { bool: padding } }), reference: ([r, ...ps]) => reference(r!, ps),
  });
});

test('gradcheck: a pre-norm layer with a function activation (tanh), unbatched', () => {
  const rng = new Rng(22);
  const m = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 5, dropout: 0, normFirst: true, activation: (t) => t.tanh(), layerNormEps: 1e-3 });
  randomise(m, rng);
  const x = leaf(rng, [3, 4]);
  const [params, reference] = refLayer(m, Math.tanh, null);
  gradcheck('encoder layer pre-norm unbatched', {
    leaves: [x, ...params], forward: () => m.forward(x),
    reference: ([r, ...ps]) => reshape(reference(reshape(r!, [3, 1, 4]), ps), [3, 4]),
  });
});

test('gradcheck: a 2-layer encoder with a final LayerNorm (the copies trained apart)', () => {
  const rng = new Rng(23);
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3, dropout: 0 });
  const enc = new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(4) });
  randomise(enc, rng);
  const x = leaf(rng, [2, 1, 4]);
  const layers = [...enc.layers] as nn.TransformerEncoderLayer[];
  const refs = layers.map((l) => refLayer(l, (v) => Math.max(v, 0), null));
  const norm = enc.norm as nn.LayerNorm;
  const leaves = [x, ...refs[0]![0], ...refs[1]![0], norm.weight!, norm.bias!];
  const k = refs[0]![0].length;
  gradcheck('encoder', {
    leaves, forward: () => enc.forward(x),
    reference: ([r, ...ps]) => layerNorm(refs[1]![1](refs[0]![1](r!, ps.slice(0, k)), ps.slice(k, 2 * k)), 1, ps[2 * k]!, ps[2 * k + 1]!),
  });
});

test('the encoder\'s layers are copies: changing one changes neither the given layer nor the others', () => {
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3 });
  const enc = new nn.TransformerEncoder(layer, 3);
  assert.equal(enc.layers.length, 3);
  const first = enc.layers.at<nn.TransformerEncoderLayer>(0);
  noGrad(() => first.linear1.weight.add_(1));
  assert.notDeepEqual(Array.from(first.linear1.weight.toArray()), Array.from(layer.linear1.weight.toArray()));
  assert.deepEqual(Array.from(enc.layers.at<nn.TransformerEncoderLayer>(1).linear1.weight.toArray()), Array.from(layer.linear1.weight.toArray()));
  assert.equal(enc.parameters().length, 36);
  // Training mode and frozen parameters are copied too (copy.deepcopy's).
  layer.eval();
  layer.norm1.weight!.requiresGrad = false;
  const enc2 = new nn.TransformerEncoder(layer, 2);
  const copy = enc2.layers.at<nn.TransformerEncoderLayer>(1);
  assert.equal(copy.training, false);
  assert.equal(copy.dropout1.training, false);
  assert.equal(copy.norm1.weight!.requiresGrad, false);
  assert.equal(copy.linear1.weight.requiresGrad, true);
});

test('a layer or an encoder sits in a Sequential (one input, one output)', () => {
  const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, batchFirst: true }), 2), new nn.Linear(4, 1));
  const y = seq.forward(randn(2, 5, 3));
  assert.deepEqual(y.shape, [2, 5, 1]);
  y.sum().backward();
  assert.ok(seq.parameters().every((p) => p.grad !== null));
});

test('bad options are refused with clear messages', () => {
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as never }), { name: 'RangeError', message: /activation should be relu\/gelu, not tanh/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: -1 }), { name: 'RangeError', message: /dimFeedforward must be a non-negative integer/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { dropout: -0.1 }), { name: 'RangeError', message: /dropout must be a probability/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { norm_first: true } as never), { name: 'TypeError', message: /did you mean normFirst\?/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { batchFirst: 'yes' } as never), { name: 'TypeError', message: /batchFirst must be true or false/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2).forward(zeros(3, 2, 4), { src_mask: zeros(3, 3) } as never), { name: 'TypeError', message: /did you mean srcMask\?/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2).forward(zeros(3, 2, 4), { srcMask: [[0]] } as never), { name: 'TypeError', message: /srcMask must be a Tensor/ });
  assert.throws(() => new nn.TransformerEncoder(new nn.Linear(4, 4) as never, 2), { name: 'TypeError', message: /encoderLayer must be an nn\.TransformerEncoderLayer .*got Linear/ });
  assert.throws(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), -1), { name: 'RangeError', message: /numLayers must be a non-negative integer/ });
  assert.throws(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 2, { norm: 5 } as never), { name: 'TypeError', message: /norm must be a module/ });
  assert.throws(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 2).forward(zeros(3, 2, 4), { src_key_padding_mask: zeros(2, 3) } as never), { name: 'TypeError', message: /did you mean srcKeyPaddingMask\?/ });
  assert.throws(() => (new nn.TransformerEncoderLayer(4, 2) as unknown as { self_attn: unknown }).self_attn, { name: 'TypeError', message: /layer\.selfAttn/ });
});

test('a module activation is registered as the layer\'s `activation` and shared by the copies; one with parameters is not copied', () => {
  const gelu = new nn.GELU();
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3, activation: gelu });
  assert.equal(layer.activation, gelu);
  assert.deepEqual(layer.namedChildren().map(([n]) => n).slice(-2), ['dropout2', 'activation']);
  const enc = new nn.TransformerEncoder(layer, 2);
  assert.equal(enc.layers.at<nn.TransformerEncoderLayer>(1).activation, gelu);
  const x = randn(3, 2, 4);
  const byName = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3, activation: 'gelu' });
  byName.loadStateDict(layer.stateDict());
  byName.eval();
  layer.eval();
  assert.deepEqual(Array.from(layer.forward(x).toArray()), Array.from(byName.forward(x).toArray()));
  const prelu = new nn.TransformerEncoderLayer(4, 2, { activation: new nn.PReLU() });
  assert.deepEqual(Object.keys(prelu.stateDict()).slice(-1), ['activation.weight']);
  assert.throws(() => new nn.TransformerEncoder(prelu, 2), { name: 'TypeError', message: /activation module holds parameters \(PReLU\)/ });
  assert.throws(() => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, { activation: new nn.PReLU() }), 2), { name: 'TypeError', message: /TransformerDecoderLayer: cannot copy/ });
});

test('nn.Transformer takes PyTorch\'s arguments by position, as nn.Transformer(4, 2, 1, 1, 6) in PyTorch 1.13', () => {
  // torch 1.13 accepts nn.Transformer(4, 2, 1, 1, 6): d_model, nhead, num_encoder_layers, num_decoder_layers,
  // dim_feedforward, in that order (its weights after manual_seed(3) are the options form's, bit for bit).
  manualSeed(3);
  const byPosition = new nn.Transformer(4, 2, 1, 1, 6, 0.1, 'relu', null, null, 1e-5, true);
  manualSeed(3);
  const byName = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6, batchFirst: true });
  assert.equal(String(byPosition), String(byName));
  assert.equal(byPosition.batchFirst, true);
  const a = byPosition.stateDict();
  const b = byName.stateDict();
  assert.deepEqual(Object.keys(a), Object.keys(b));
  for (const k of Object.keys(a)) assert.deepEqual(a[k]!.toArray(), b[k]!.toArray(), k);
  assert.throws(() => new nn.Transformer(4, 2, { dModel: 4 }), { name: 'TypeError', message: /Transformer: dModel given twice/ });
});
