/**
 * A lab worker thread: receives the data set once (shared memory, no copy) and then runs one training job per
 * message, posting progress and the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MnistSplit } from '../data/mnist.js';
import { trainRun, type RunSpec } from './trainer.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

const { train, test } = workerData as { train: MnistSplit; test: MnistSplit };
const port = parentPort!;

port.on('message', (msg: WorkerRequest) => {
  if (msg.type !== 'run') return;
  const send = (reply: WorkerReply): void => port.postMessage(reply);
  try {
    const result = trainRun(msg.spec as RunSpec, train, test, {
      progressEvery: msg.progressEvery,
      onProgress: (progress) => send({ type: 'progress', id: msg.id, progress }),
    });
    send({ type: 'done', id: msg.id, result });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', id: msg.id, name: e.name, message: e.message, stack: e.stack ?? '' });
  }
});
