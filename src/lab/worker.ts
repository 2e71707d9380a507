/**
 * A lab worker thread: receives the data set and the stop flag once (shared memory, no copy) and then runs one
 * training job per message, posting progress and the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { passWritesThrough } from '../io/atomic.js';
import { readCheckpoint } from './checkpoint.js';
import { writeGateOf } from './pool.js';
import { RunStopped, trainRun } from './trainer.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './protocol.js';

const { train, test, stop } = workerData as WorkerInit;
const port = parentPort!;
// Checkpoints and models are written through the gate a process quitting at once closes (see pool.ts, writeGateOf).
const gate = writeGateOf(stop);
if (gate !== null) passWritesThrough(gate);

port.on('message', (msg: WorkerRequest) => {
  if (msg.type !== 'run') return;
  const send = (reply: WorkerReply): void => port.postMessage(reply);
  try {
    const result = trainRun(msg.spec, train, test, {
      progressEvery: msg.progressEvery,
      onProgress: (progress) => send({ type: 'progress', id: msg.id, progress }),
    }, {
      stop,
      ...(msg.files === undefined ? {} : { files: msg.files }),
      ...(msg.resume === undefined ? {} : { resume: readCheckpoint(msg.resume) }),
    });
    send({ type: 'done', id: msg.id, result });
  } catch (err) {
    if (err instanceof RunStopped) {
      send({ type: 'stopped', id: msg.id, checkpoint: err.checkpoint ?? null, step: err.step, totalSteps: err.totalSteps });
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', id: msg.id, name: e.name, message: e.message, stack: e.stack ?? '' });
  }
});
