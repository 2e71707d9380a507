// Kindling's peak memory for one variant, measured in a process of its own (`kindling bench` starts one per
// variant): what a user's process holds to train it on MNIST as the lab does (the data set as bytes, the model, its
// gradients and optimizer state), and nothing of the bench's own float32 copy of the data or of other variants.
//   node dist/bench/memory-probe.js <variant> <steps>
import { readFileSync } from 'node:fs';
import { loadEmbeddedMnist } from '../src/data/mnist.js';
import { trainRun } from '../src/lab/trainer.js';
import { findVariant } from '../src/lab/variants.js';

const [variant = '', stepsText = ''] = process.argv.slice(2);
const v = findVariant(variant);
const steps = Number(stepsText);
if (v === undefined || !Number.isSafeInteger(steps) || steps < 1) {
  process.stderr.write('usage: memory-probe.js <variant> <steps>\n');
  process.exit(2);
}
const train = loadEmbeddedMnist('train');
const test = loadEmbeddedMnist('test');
// One image per step, then the whole test set: the chapter's protocol, cut to `steps` images.
const run = trainRun({ variant, label: v.label, config: v.config, seed: 0, epochs: 1, batchSize: 1, trainLimit: steps }, train, test);
process.stdout.write(`${JSON.stringify({ variant, steps, accuracy: run.accuracy, maxRssMb: peakResidentMb() })}\n`);

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
