import { checkTensor } from '../ops/util.js';
import { checkArgumentCount, checkOptions, describeValue } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { decoderCall, TransformerDecoderLayer, type TransformerDecoderForwardOptions } from './transformer-decoder-layer.js';

export interface TransformerDecoderOptions {
  /** A module applied to the last layer's output (typically a LayerNorm), or null (default). */
  norm?: Module | null;
}

/**
 * A stack of `numLayers` copies of `decoderLayer` (PyTorch's deep copies: every layer starts from the given layer's
 * values) and an optional final `norm`, as PyTorch 1.13's `nn.TransformerDecoder`: `forward(tgt, memory, { tgtMask,
 * memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask })` runs each layer in turn with the same memory and masks.
 */
export class TransformerDecoder extends Module {
  readonly numLayers: number;
  readonly #layers: ModuleList;
  readonly #norm: Module | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options?: TransformerDecoderOptions) {
    super();
    const where = 'TransformerDecoder';
    checkArgumentCount(where, arguments, 3, 'new TransformerDecoder(layer, 6, { norm })');
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new TypeError(`${where}: decoderLayer must be an nn.TransformerDecoderLayer (Kindling copies that layer; PyTorch deep-copies any module), got ${(decoderLayer as unknown) instanceof Module ? (decoderLayer as Module).constructor.name : describeValue(decoderLayer)}`);
    }
    if (typeof numLayers !== 'number' || !Number.isSafeInteger(numLayers) || numLayers < 0) throw new RangeError(`${where}: numLayers must be a non-negative integer, got ${describeValue(numLayers)}`);
    const o = checkOptions<TransformerDecoderOptions>(where, options, ['norm']);
    if (o.norm != null && !(o.norm instanceof Module)) throw new TypeError(`${where}: norm must be a module (a LayerNorm) or null, got ${describeValue(o.norm)}`);
    this.numLayers = numLayers;
    this.#layers = this.holdModule('layers', new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone())));
    this.#norm = o.norm == null ? null : this.holdModule('norm', o.norm);
  }

  /** The copies of the layer (a ModuleList). */
  get layers(): ModuleList { return this.#layers; }
  /** The final norm, or null. */
  get norm(): Module | null { return this.#norm; }

  forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor;
  /** nn.Module's signature, for the class to extend Module. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(tgt: Tensor, memory?: unknown, options?: TransformerDecoderForwardOptions): Tensor {
    const where = 'TransformerDecoder.forward';
    checkArgumentCount(where, arguments, 3, 'forward(tgt, memory, { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask })');
    checkTensor(tgt, where, 'tgt');
    checkTensor(memory, where, 'memory');
    const c = decoderCall(where, options);
    let out = tgt;
    for (const layer of this.#layers) out = (layer as TransformerDecoderLayer).forward(out, memory, c);
    return this.#norm === null ? out : this.#norm.forward(out);
  }
}

refusePythonNames(TransformerDecoder.prototype, 'model', [['num_layers', 'numLayers', 'property']]);
