// TransformerEncoderLayer and TransformerEncoder in a model file's architecture (io/architecture.ts): their options
// as JSON and back. The layers are built drawing from a private generator (the file's weights replace the values).
import type { LayerSpec } from '../io/architecture.js';
import { ModelFileError } from '../io/model-file.js';
import { Generator } from '../random.js';
import { LayerNorm } from './normalization.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { TransformerEncoderLayer, type LayerSettings } from './transformer-encoder-layer.js';

type LayerFields = Omit<Extract<LayerSpec, { type: 'TransformerEncoderLayer' }>, 'type' | 'sameAs'>;

function layerFields(l: TransformerEncoderLayer, where: string): LayerFields {
  const s = l.settings;
  if (typeof s.activation !== 'string') {
    throw new ModelFileError(`cannot describe ${where} (${l.constructor.name}): its activation is a ${typeof s.activation === 'function' ? 'function' : 'module'}, which a model file cannot hold (only 'relu' or 'gelu' by name); save the weights alone with saveFile(path, model.stateDict()) and rebuild the model in code`);
  }
  return {
    dModel: l.dModel, nhead: l.nhead, dimFeedforward: s.dimFeedforward, dropout: s.dropout, activation: s.activation, layerNormEps: s.layerNormEps,
    batchFirst: s.batchFirst, normFirst: s.normFirst,
  };
}

/** The spec of a Transformer encoder layer or encoder. @internal */
export function describeTransformer(m: TransformerEncoderLayer | TransformerEncoder, where: string): LayerSpec {
  if (m instanceof TransformerEncoderLayer) return { type: 'TransformerEncoderLayer', ...layerFields(m, where) };
  const layers = [...m.layers];
  const first = layers[0];
  if (!(first instanceof TransformerEncoderLayer)) throw new ModelFileError(`cannot describe ${where} (TransformerEncoder): it has no layers`);
  const fields = layerFields(first, `${where}.layers[0]`);
  layers.forEach((l, i) => {
    if (!(l instanceof TransformerEncoderLayer) || l.constructor !== TransformerEncoderLayer || JSON.stringify(layerFields(l, `${where}.layers[${i}]`)) !== JSON.stringify(fields)) {
      throw new ModelFileError(`cannot describe ${where}.layers[${i}] (${l.constructor.name}): a model file holds an encoder of copies of one TransformerEncoderLayer; save the weights alone with saveFile(path, model.stateDict())`);
    }
  });
  const norm = m.norm;
  if (norm !== null && !(norm instanceof LayerNorm && norm.constructor === LayerNorm && norm.normalizedShape.length === 1 && norm.normalizedShape[0] === fields.dModel)) {
    throw new ModelFileError(`cannot describe ${where}.norm (${norm.constructor.name}): a model file holds an encoder's norm only as a LayerNorm(${fields.dModel}) or none; save the weights alone with saveFile(path, model.stateDict())`);
  }
  return {
    type: 'TransformerEncoder', ...fields, numLayers: m.numLayers,
    norm: norm === null ? null : { eps: norm.eps, elementwiseAffine: norm.weight !== null }, enableNestedTensor: m.enableNestedTensor,
  };
}

/** A Transformer encoder layer or encoder from its spec. @internal */
export function buildTransformer(spec: Extract<LayerSpec, { type: 'TransformerEncoderLayer' | 'TransformerEncoder' }>): TransformerEncoderLayer | TransformerEncoder {
  const settings: LayerSettings = {
    dimFeedforward: spec.dimFeedforward, dropout: spec.dropout, activation: spec.activation, layerNormEps: spec.layerNormEps,
    batchFirst: spec.batchFirst, normFirst: spec.normFirst,
  };
  const layer = new TransformerEncoderLayer(spec.dModel, spec.nhead, { ...settings, generator: new Generator(0) });
  if (spec.type === 'TransformerEncoderLayer') return layer;
  const norm = spec.norm === null ? null : new LayerNorm(spec.dModel, { eps: spec.norm.eps, elementwiseAffine: spec.norm.elementwiseAffine });
  return new TransformerEncoder(layer, spec.numLayers, { norm, enableNestedTensor: spec.enableNestedTensor });
}
