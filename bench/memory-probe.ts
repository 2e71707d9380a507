// Kindling's peak memory for one variant, measured in a process of its own (`kindling bench` starts one per
// variant): what a user's process holds to train it on MNIST as the lab does (the data set as bytes, the model, its
// gradients and optimizer state), and nothing of the bench's own float32 copy of the data or of other variants.
// It also times the lab's own training loop there (trainRun, as `kindling reproduce` runs it in its workers): the
// µs a step after its warm-up. The bench's tables time its own loop in one long-lived process, which a
// cost of the lab's path or of a fresh process's memory management can escape (docs/speed.md, "Session 66").
//   node dist/bench/memory-probe.js <variant> <steps> [<warm-up steps>, default 2000]
import { readFileSync } from 'node:fs';
import { loadEmbeddedMnist } from '../src/data/mnist.js';
import { trainRun } from '../src/lab/trainer.js';
import { findVariant } from '../src/lab/variants.js';
import { median } from './median.js';

const [variant = '', stepsText = '', warmText = '2000'] = process.argv.slice(2);
const v = findVariant(variant);
const steps = Number(stepsText);
/** Steps left out of the lab's µs a step: the compiler's warm-up. */
const warm = Number(warmText);
if (v === undefined || !Number.isSafeInteger(steps) || steps < 1 || !Number.isSafeInteger(warm) || warm < 0) {
  process.stderr.write('usage: memory-probe.js <variant> <steps> [<warm-up steps>]\n');
  process.exit(2);
}
const train = loadEmbeddedMnist('train');
const test = loadEmbeddedMnist('test');
// One image per step, then the whole test set: the chapter's protocol, cut to `steps` images.
// Progress comes every 1000 steps and at the last one, before the test: timed from step `warm` (or from the last mark
// a thousand steps before the end, on a short run) to the last step.
const marks: { step: number; seconds: number }[] = [];
const onProgress = (p: { step: number; elapsedSeconds: number }): void => {
  marks.push({ step: p.step, seconds: p.elapsedSeconds });
};
const run = trainRun({ variant, label: v.label, config: v.config, seed: 0, epochs: 1, batchSize: 1, trainLimit: steps }, train, test, { onProgress, progressEvery: 1000 });
// The median of the stretches between marks (µs a step in each), so that a few slow seconds of a busy machine move it
// less than they would an average.
const start = marks.findIndex((m) => m.step >= Math.min(warm, steps - 1000));
const timed = start < 0 ? [] : marks.slice(start);
const labSteps = timed.length < 2 ? 0 : timed[timed.length - 1]!.step - timed[0]!.step;
const stretches = timed.slice(1).map((m, i) => ((m.seconds - timed[i]!.seconds) / (m.step - timed[i]!.step)) * 1e6);
const labUs = stretches.length === 0 ? null : median(stretches);
process.stdout.write(`${JSON.stringify({ variant, steps, accuracy: run.accuracy, maxRssMb: peakResidentMb(), labUs, labSteps })}\n`);

/**
 * This process's peak resident memory, MB: Linux's VmHWM, the high-water mark of this program's own memory. (getrusage's
 * maxRSS is kept across exec, so in a process forked from the bench it starts at the bench's own size.)
 */
function peakResidentMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: maxRSS below
  }
  return process.resourceUsage().maxRSS / 1024;
}
