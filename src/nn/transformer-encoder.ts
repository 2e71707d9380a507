import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { checkTensor } from '../ops/util.js';
import { checkArgumentCount, checkOptions, describeValue } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import type { Tensor } from '../tensor/tensor.js';
import { asOnes, readMask, type AttentionMask } from './attention-mask.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { activationReluOrGelu, TransformerEncoderLayer } from './transformer-encoder-layer.js';

export interface TransformerEncoderOptions {
  /** A module applied to the last layer's output (PyTorch's `norm`, typically a LayerNorm), or null (default). */
  norm?: Module | null;
  /** PyTorch's `enable_nested_tensor` (default true): see `forward`. */
  enableNestedTensor?: boolean;
}

export interface TransformerEncoderForwardOptions {
  /** The attention mask of every layer: [S, S] or [N·nhead, S, S], a float mask or `{ bool: t }`. */
  mask?: AttentionMask | null;
  /** [N, S] ([S] unbatched): padding positions, `{ bool: t }` (nonzero: padding) or a float mask. */
  srcKeyPaddingMask?: AttentionMask | null;
}

/**
 * A stack of `numLayers` copies of `encoderLayer` (PyTorch's `_get_clones`: deep copies, so every layer starts from
 * the given layer's values) and an optional final `norm`, as PyTorch 1.13's `nn.TransformerEncoder`.
 *
 * @example
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
 * const encoder = new nn.TransformerEncoder(layer, 3, { norm: new nn.LayerNorm(8) });
 * encoder.forward(randn(5, 2, 8), { srcKeyPaddingMask: { bool: tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]) } });   // [5, 2, 8]
 */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  readonly enableNestedTensor: boolean;
  readonly #layers: ModuleList;
  readonly #norm: Module | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options?: TransformerEncoderOptions) {
    super();
    const where = 'TransformerEncoder';
    checkArgumentCount(where, arguments, 3, 'new TransformerEncoder(layer, 6, { norm })');
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TypeError(`${where}: encoderLayer must be an nn.TransformerEncoderLayer (Kindling copies that layer; PyTorch deep-copies any module), got ${(encoderLayer as unknown) instanceof Module ? (encoderLayer as Module).constructor.name : describeValue(encoderLayer)}`);
    }
    if (typeof numLayers !== 'number' || !Number.isSafeInteger(numLayers) || numLayers < 0) throw new RangeError(`${where}: numLayers must be a non-negative integer, got ${describeValue(numLayers)}`);
    const o = checkOptions<TransformerEncoderOptions>(where, options, ['norm', 'enableNestedTensor']);
    if (o.norm != null && !(o.norm instanceof Module)) throw new TypeError(`${where}: norm must be a module (a LayerNorm) or null, got ${describeValue(o.norm)}`);
    if (o.enableNestedTensor !== undefined && typeof o.enableNestedTensor !== 'boolean') throw new TypeError(`${where}: enableNestedTensor must be true or false, got ${describeValue(o.enableNestedTensor)}`);
    this.numLayers = numLayers;
    this.enableNestedTensor = o.enableNestedTensor ?? true;
    this.#layers = this.holdModule('layers', new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone())));
    this.#norm = o.norm == null ? null : this.holdModule('norm', o.norm);
  }

  /** The copies of the layer (a ModuleList). */
  get layers(): ModuleList { return this.#layers; }
  /** The final norm, or null. */
  get norm(): Module | null { return this.#norm; }

  /**
   * Runs `src` through the layers in turn (each given `mask` and `srcKeyPaddingMask`), then `norm`. As PyTorch 1.13:
   * in evaluation mode, with no gradient to record, batchFirst post-norm relu/gelu layers with an even nhead, a
   * batched input and a padding mask whose padding lies at the end of each sequence (and no `mask`), PyTorch runs
   * its nested-tensor path, whose output at the padding positions is 0 (before `norm`), and whose sequence dimension
   * is cut to the longest unpadded sequence ([N, 4, E] in with at most 3 positions kept in any row gives [N, 3, E]):
   * Kindling gives the same (`enableNestedTensor: false` turns it off, as PyTorch's; PyTorch 2 keeps the length).
   */
  forward(src: Tensor, options?: TransformerEncoderForwardOptions): Tensor;
  /** nn.Module's signature, for the class to extend Module. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(src: Tensor, options?: TransformerEncoderForwardOptions): Tensor {
    const where = 'TransformerEncoder.forward';
    checkArgumentCount(where, arguments, 2, 'forward(src, { mask, srcKeyPaddingMask })');
    checkTensor(src, where, 'src');
    const o = checkOptions<TransformerEncoderForwardOptions>(where, options, ['mask', 'srcKeyPaddingMask']);
    const mask = o.mask ?? null;
    let kpm = o.srcKeyPaddingMask ?? null;
    readMask(mask, where, 'mask');
    const padding = readMask(kpm, where, 'srcKeyPaddingMask');
    const nested = padding !== null && mask === null && this.#nestedPath(src, padding.t);
    // The nested path leaves the padded keys out of the attention entirely, whatever a float mask's values.
    if (nested) kpm = { bool: padding.t };
    let out = src;
    for (const layer of this.#layers) out = (layer as TransformerEncoderLayer).forward(out, { srcMask: mask, srcKeyPaddingMask: kpm });
    if (nested) {
      const pad = asOnes(padding.t);
      out = noGrad(() => out.maskedFill(pad.unsqueeze(-1), 0));
      // PyTorch 1.13's to_padded_tensor(0.) pads only to the longest unpadded sequence: the rest is cut off.
      const [n, s] = pad.shape as [number, number];
      const pv = pad.toArray();
      let longest = 0;
      for (let i = 0; i < n; i++) {
        let kept = 0;
        for (let j = 0; j < s; j++) if (pv[i * s + j] === 0) kept++;
        longest = Math.max(longest, kept);
      }
      if (longest < s) out = out.narrow(1, 0, longest);
    }
    return this.#norm === null ? out : this.#norm.forward(out);
  }

  /** Whether PyTorch 1.13 would take its nested-tensor ("sparsity fast") path (transformer.py, TransformerEncoder.forward). */
  #nestedPath(src: Tensor, padding: Tensor): boolean {
    const first = this.#layers.length > 0 ? (this.#layers.at<TransformerEncoderLayer>(0)) : null;
    if (first === null || first.normFirst || first.training || !first.batchFirst) return false;
    // PyTorch's activation_relu_or_gelu: 'relu', 'gelu', F.relu, F.gelu, or an nn.ReLU or nn.GELU module.
    if (activationReluOrGelu(first.activation) === 0) return false;
    if (first.norm1.eps !== first.norm2.eps || src.ndim !== 3 || !this.enableNestedTensor || first.nhead % 2 === 1) return false;
    if (padding.ndim !== 2) return false;
    // Left-aligned: in each row, the kept positions (zero) come first, then only padding.
    const [n, s] = padding.shape as [number, number];
    const pv = padding.toArray();
    for (let i = 0; i < n; i++) {
      let seenPad = false;
      for (let j = 0; j < s; j++) {
        const isPad = pv[i * s + j] !== 0;
        if (seenPad && !isPad) return false;
        seenPad ||= isPad;
      }
    }
    const args = [src, ...first.selfAttn.parameters(), ...first.norm1.parameters(), ...first.norm2.parameters(), ...first.linear1.parameters(), ...first.linear2.parameters()];
    return !(isGradEnabled() && args.some((t) => t.requiresGrad));
  }
}

refusePythonNames(TransformerEncoder.prototype, 'model', [['num_layers', 'numLayers', 'property'], ['enable_nested_tensor', 'enableNestedTensor', 'property']]);
