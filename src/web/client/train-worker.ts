/**
 * Web Worker that trains in the browser with the lab's own `trainRun`, exactly the function Node's worker
 * threads call: same model builder, same seeded initialisation, same data loader and loop. Only the data arrives
 * differently (bytes from the server instead of files).
 */
import { modelMetadata } from '../../io/model-file.js';
import { encodeSafetensors } from '../../io/safetensors.js';
import { trainRun } from '../../lab/trainer.js';
import { describeForFile, parameterTensors } from '../../nn/serialize.js';
import { findVariant } from '../../lab/variants.js';
import { decodeSplitSlice } from '../shared/split-bytes.js';
import { kernelsName, useFastKernels } from './kernels.js';
import type { TrainRequest, WorkerMessage } from './worker-protocol.js';

/** The part of a dedicated worker's global scope used here (the DOM library types `self` as a window). */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<TrainRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;

function split(bytes: ArrayBuffer, name: string) {
  return { ...decodeSplitSlice(new Uint8Array(bytes)), source: `the server's ${name} slice` };
}

scope.addEventListener('message', (e) => {
  const msg = e.data;
  if (msg.type !== 'train') return;
  void train(msg);
});

async function train(msg: TrainRequest): Promise<void> {
  // The WebAssembly kernels when they can be fetched and compiled here, else the reference ones.
  const whyNot = await useFastKernels();
  try {
    const v = findVariant(msg.variant);
    if (v === undefined) throw new Error(`unknown variant ${JSON.stringify(msg.variant)}`);
    const spec = { variant: v.name, label: v.label, config: v.config, seed: msg.seed, epochs: 1, batchSize: 1, trainLimit: msg.trainLimit, testLimit: msg.testLimit };
    let model = new ArrayBuffer(0);
    const result = trainRun(spec, split(msg.train, 'training'), split(msg.test, 'test'), {
      progressEvery: msg.progressEvery,
      onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
      // The same bytes `model.save` writes in Node, so the page checks and rebuilds it as it does a server file.
      onModel: (m, info) => {
        model = encodeSafetensors(parameterTensors(m), modelMetadata('model', describeForFile(m), info)).slice().buffer;
      },
    });
    const kernels = whyNot === null ? kernelsName() : `${kernelsName()}: ${whyNot}`;
    scope.postMessage({ type: 'done', losses: [...result.losses], lossEvery: result.lossEvery, accuracy: result.accuracy, trainSeconds: result.trainSeconds, kernels, trainSamples: result.trainSamples, testSamples: result.testSamples, model }, [model]);
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
