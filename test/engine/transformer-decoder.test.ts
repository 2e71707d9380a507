// nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer in the engine: the gradients of the target,
// the memory and every parameter of a decoder layer against central differences of a float64 reference, a
// Transformer's parts (encoder then decoder) giving its output, custom encoders and decoders, saving through the
// state dict, and the refusals of bad options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, noGrad, randn, tensor, type Tensor } from '../../src/index.js';
import { packed, refAttention } from './attention-ref.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { add, layerNorm, linear, map, ref, type Ref } from './ref.js';

function randomise(m: nn.Module, rng: Rng): void {
  noGrad(() => {
    for (const [name, p] of m.namedParameters()) p.copy_(leaf(rng, p.shape, name.includes('norm') && name.endsWith('weight') ? { lo: 0.6, hi: 1.4 } : { lo: -0.7, hi: 0.7 }).detach());
  });
}

test('gradcheck: a post-norm decoder layer with a causal target mask (target, memory and every parameter)', () => {
  const rng = new Rng(31);
  const m = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 3, dropout: 0 });
  randomise(m, rng);
  const tgt = leaf(rng, [3, 1, 4]);
  const memory = leaf(rng, [2, 1, 4]);
  const causal = nn.Transformer.generateSquareSubsequentMask(3);
  const [sa, splitSa] = packed(m.selfAttn);
  const [ca, splitCa] = packed(m.multiheadAttn);
  const rest = [m.linear1.weight, m.linear1.bias!, m.linear2.weight, m.linear2.bias!, m.norm1.weight!, m.norm1.bias!, m.norm2.weight!, m.norm2.bias!, m.norm3.weight!, m.norm3.bias!];
  const mask = ref(Array.from(causal.toArray()), [3, 3]);
  gradcheck('decoder layer', {
    leaves: [tgt, memory, ...sa, ...ca, ...rest],
    forward: () => m.forward(tgt, memory, { tgtMask: causal }),
    reference: ([t, mem, ...ps]) => {
      const [psa, pca, [w1, b1, w2, b2, g1, c1, g2, c2, g3, c3]] = [ps.slice(0, sa.length), ps.slice(sa.length, sa.length + ca.length), ps.slice(sa.length + ca.length)] as [Ref[], Ref[], Ref[]];
      let x = layerNorm(add(t!, refAttention(t!, t!, t!, splitSa(psa), 2, mask)[0]), 1, g1!, c1!);
      x = layerNorm(add(x, refAttention(x, mem!, mem!, splitCa(pca), 2, null)[0]), 1, g2!, c2!);
      return layerNorm(add(x, linear(map(linear(x, w1!, b1!), (v) => Math.max(v, 0)), w2!, b2!)), 1, g3!, c3!);
    },
  });
});

test('a Transformer is its encoder then its decoder; custom parts are used as given', () => {
  const t = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 8, dropout: 0 });
  const src = randn(5, 2, 4);
  const tgt = randn(3, 2, 4);
  const tgtMask = nn.Transformer.generateSquareSubsequentMask(3);
  const padding = { bool: tensor([[0, 0, 0, 0, 1], [0, 0, 0, 0, 0]]) };
  const y = t.forward(src, tgt, { tgtMask, srcKeyPaddingMask: padding, memoryKeyPaddingMask: padding });
  const memory = (t.encoder as nn.TransformerEncoder).forward(src, { srcKeyPaddingMask: padding });
  const z = (t.decoder as nn.TransformerDecoder).forward(tgt, memory, { tgtMask, memoryKeyPaddingMask: padding });
  assert.deepEqual(Array.from(y.toArray()), Array.from(z.toArray()));
  assert.equal((t.encoder as nn.TransformerEncoder).layers.length, 2);
  const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }), 1);
  const custom = new nn.Transformer({ dModel: 4, nhead: 2, numDecoderLayers: 1, dimFeedforward: 8, customEncoder: encoder });
  assert.equal(custom.encoder, encoder);
  assert.deepEqual(Object.keys(custom.stateDict()).filter((k) => k.startsWith('encoder.')).length, 12);
  // PyTorch's defaults: 512 features, 8 heads, 6 + 6 layers of 2048.
  const dflt = new nn.Transformer({ numEncoderLayers: 1, numDecoderLayers: 1 });
  assert.deepEqual([dflt.dModel, dflt.nhead, dflt.batchFirst], [512, 8, false]);
  assert.deepEqual((dflt.encoder as nn.TransformerEncoder).layers.at<nn.TransformerEncoderLayer>(0).linear1.weight.shape, [2048, 512]);
});

test('the decoder\'s layers are copies of the given one', () => {
  const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 3 });
  const dec = new nn.TransformerDecoder(layer, 2, { norm: new nn.LayerNorm(4) });
  const sd = dec.stateDict();
  for (const [k, v] of Object.entries(layer.stateDict())) {
    assert.deepEqual(Array.from(sd[`layers.1.${k}`]!.toArray()), Array.from(v.toArray()), k);
    assert.notEqual(sd[`layers.1.${k}`], v);
  }
  assert.deepEqual(Object.keys(sd).slice(-2), ['norm.weight', 'norm.bias']);
});

test('bad options are refused with clear messages', () => {
  assert.throws(() => new nn.TransformerDecoderLayer(4, 2, { activation: 'elu' as never }), { name: 'RangeError', message: /activation should be relu\/gelu, not elu/ });
  assert.throws(() => new nn.TransformerDecoderLayer(4, 3), { name: 'KindlingError', message: /embed_dim must be divisible by num_heads/ });
  // null is not the default (PyTorch's nn.Transformer(None) fails); a model of 512 × 6 + 6 layers was built.
  assert.throws(() => new nn.Transformer(null as never), { name: 'RangeError', message: /Transformer: dModel must be a positive integer, got null/ });
  // The same for the layers' options: PyTorch 1.13 fails on dim_feedforward=None and dropout=None (a 2048-wide layer was built).
  assert.throws(() => new nn.Transformer({ dModel: 4, nhead: 2, dimFeedforward: null as never }), { name: 'RangeError', message: /dimFeedforward must be a non-negative integer, got null/ });
  assert.throws(() => new nn.TransformerEncoderLayer(4, 2, { dropout: null as never }), { name: 'RangeError', message: /TransformerEncoderLayer: dropout must be a probability in \[0, 1\], got null/ });
  assert.throws(() => new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: null as never }), { name: 'RangeError', message: /TransformerDecoderLayer: dimFeedforward must be a non-negative integer, got null/ });
  assert.throws(() => new nn.Transformer({ dModel: 4, nhead: 0 }), { name: 'RangeError', message: /Transformer: nhead must be a positive integer, got the number 0/ });
  assert.throws(() => new nn.TransformerDecoderLayer(4, 2).forward(randn(3, 2, 4)), { name: 'TypeError', message: /memory must be a Tensor/ });
  assert.throws(() => new nn.TransformerDecoderLayer(4, 2).forward(randn(3, 2, 4), randn(3, 2, 4), { tgt_mask: null } as never), { name: 'TypeError', message: /did you mean tgtMask\?/ });
  assert.throws(() => new nn.TransformerDecoder(new nn.TransformerEncoderLayer(4, 2) as never, 2), { name: 'TypeError', message: /decoderLayer must be an nn\.TransformerDecoderLayer .*got TransformerEncoderLayer/ });
  assert.throws(() => new nn.Transformer({ d_model: 4 } as never), { name: 'TypeError', message: /did you mean dModel\?/ });
  assert.throws(() => new nn.Transformer({ numEncoderLayers: -1 }), { name: 'RangeError', message: /numEncoderLayers must be a non-negative integer/ });
  assert.throws(() => new nn.Transformer({ customEncoder: {} } as never), { name: 'TypeError', message: /customEncoder must be a module or null/ });
  assert.throws(() => (nn.Transformer as unknown as { generate_square_subsequent_mask(n: number): Tensor }).generate_square_subsequent_mask(3), { name: 'TypeError', message: /nn\.Transformer\.generateSquareSubsequentMask\(\)/ });
});

test('a Transformer saves through its state dict: saveFile and nn.loadWeights give the same outputs; a model file refuses it naming the layer', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { manualSeed, saveFile } = await import('../../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'kindling-transformer-'));
  try {
    manualSeed(1);
    const opts = { dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 6, batchFirst: true };
    const t = new nn.Transformer(opts);
    const path = join(dir, 'transformer.safetensors');
    saveFile(path, t.stateDict());
    manualSeed(2);
    const back = new nn.Transformer(opts);
    assert.deepEqual(nn.loadWeights(back, path), { missingKeys: [], unexpectedKeys: [] });
    t.eval();
    back.eval();
    const [src, tgt] = [randn(2, 3, 4), randn(2, 2, 4)];
    assert.deepEqual(Array.from(back.forward(src, tgt).toArray()), Array.from(t.forward(src, tgt).toArray()));
    assert.throws(() => t.save(join(dir, 'model.safetensors')), { message: /cannot describe model \(Transformer\)/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
