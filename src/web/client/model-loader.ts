/**
 * Loads a saved model in the browser: the `.safetensors` bytes from the server, decoded and checked by the same
 * code Node uses (`decodeSafetensors`, the model-file envelope, the architecture), then rebuilt as a Kindling
 * module. Loaded models are kept, so switching back and forth costs nothing.
 */
import { checkModelContents } from '../../io/model-file.js';
import { decodeSafetensors } from '../../io/safetensors.js';
import { nonFiniteWeights } from '../../nn/nonfinite-weights.js';
import { lastLayer, modelFromContents, type LayerSpec, type LoadedModel } from '../../nn/serialize.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Tensor } from '../../tensor/tensor.js';
import { labFetch } from './lab-fetch.js';

const cache = new Map<string, Promise<LoadedModel>>();

/** Fetches and rebuilds the model at `/files/<path>`. */
export function loadModel(path: string): Promise<LoadedModel> {
  let hit = cache.get(path);
  if (hit === undefined) {
    hit = (async () => {
      const url = `/files/${path.split('/').map(encodeURIComponent).join('/')}`;
      const res = await labFetch(url);
      if (!res.ok) throw new Error(`cannot fetch ${path}: ${res.status} ${res.statusText}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return checked(modelFromContents(checkModelContents(path, decodeSafetensors(bytes, path)), path), path);
    })();
    cache.set(path, hit);
    hit.catch(() => cache.delete(path));
  }
  return hit;
}

/**
 * Keeps a model file made in this page (a model trained in the browser) under `key`, checked and rebuilt exactly
 * as a file from the server is, so `loadModel(key)` finds it.
 */
export function addModelBytes(key: string, bytes: Uint8Array): LoadedModel {
  const loaded = checked(modelFromContents(checkModelContents(key, decodeSafetensors(bytes, key)), key), key);
  cache.set(key, Promise.resolve(loaded));
  return loaded;
}

/** A rebuilt model, in evaluation mode, once its weights are known finite: refused as `kindling predict` refuses it. */
function checked(loaded: LoadedModel, path: string): LoadedModel {
  const nonFinite = nonFiniteWeights(loaded.model, path);
  if (nonFinite !== null) throw new Error(nonFinite);
  loaded.model.eval();
  return loaded;
}

/** What the bars show, and a sentence saying so. */
export interface BarValues {
  readonly values: number[];
  readonly note: string;
  /** Whether the values are the model's own probabilities (a final Sigmoid, Softmax or LogSoftmax), not a softmax of scores. */
  readonly probabilities: boolean;
}

/**
 * The ten bars for a model's outputs, read as `kindling predict` reads them: a final Sigmoid gives one probability
 * per digit (each 0–1, as the chapter's models are trained with one-hot targets), a final Softmax gives
 * probabilities summing to 1 (a final LogSoftmax their logarithms, shown as the probabilities), and any other ending (LeakyReLU) gives scores, shown through a softmax.
 */
export function barValues(outputs: Float32Array, architecture: LayerSpec): BarValues {
  const values = Array.from(outputs);
  const last = lastLayer(architecture)?.type;
  if (last === 'Sigmoid') return { values, probabilities: true, note: "The model's final Sigmoid: one probability per digit, each from 0 to 1." };
  if (last === 'Softmax') return { values, probabilities: true, note: "The model's final Softmax: probabilities summing to 1." };
  if (last === 'LogSoftmax') return { values: values.map(Math.exp), probabilities: true, note: "The model's final LogSoftmax: the bars show the probabilities its log-probabilities stand for, summing to 1." };
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return {
    values: exps.map((v) => v / sum),
    probabilities: false,
    note: `The model ends with ${last ?? 'nothing'}, so its outputs are scores, not probabilities; the bars show their softmax, which only ranks them.`,
  };
}

/** The model's outputs for one image of 784 values in 0–1 (no graph recorded). */
export function classify(loaded: LoadedModel, input: Float32Array): Float32Array {
  return noGrad(() => loaded.model.forward(new Tensor(input, [1, input.length])).values());
}
