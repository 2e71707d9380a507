// Compares a bracketed wasm kernel (the sigmoid, e^x or tanh) with the reference loop on every float32 input (all 2^32 bit
// patterns), in chunks of 2^20; prints the number of inputs that differ (NaNs of any payload count as equal) and how
// many lanes the kernel handed back to the reference formula. About a minute each; run after `npm run build`:
//   node scripts/check-unary.mjs sigmoid
//   node scripts/check-unary.mjs exp
//   node scripts/check-unary.mjs tanh
import { activeWasm } from '../dist/src/kernels/backend.js';
import { unary } from '../dist/src/kernels/ref/elementwise.js';
import { exp, tanh } from '../dist/src/kernels/wasm/exp.js';
import { sigmoid } from '../dist/src/kernels/wasm/sigmoid.js';

const KERNELS = { sigmoid: [sigmoid, 'sigmoidForward'], exp: [exp, 'expForward'], tanh: [tanh, 'tanhForward'] };
const op = process.argv[2] ?? 'sigmoid';
if (!(op in KERNELS)) {
  console.error(`check-unary: no bracketed kernel '${op}'; use one of ${Object.keys(KERNELS).join(', ')}`);
  process.exit(2);
}
const [run, exportName] = KERNELS[op];
const w = activeWasm();
if (w === null) throw new Error('the wasm kernels did not load: run `npm run build` first');
let handedBack = 0;
const kernel = w.exports[exportName];
const counting = (...args) => {
  const count = kernel(...args);
  handedBack += count;
  return count;
};
const counted = { ...w, exports: { ...w.exports, [exportName]: counting } };

const N = 1 << 20;
const bits = new Uint32Array(N);
const x = new Float32Array(bits.buffer);
const expected = new Float32Array(N);
const got = new Float32Array(N);
const e32 = new Uint32Array(expected.buffer);
const g32 = new Uint32Array(got.buffer);
let differ = 0;
const examples = [];
for (let base = 0; base < 2 ** 32; base += N) {
  for (let i = 0; i < N; i++) bits[i] = base + i;
  unary(op, x, expected);
  run(counted, x, got);
  for (let i = 0; i < N; i++) {
    if (e32[i] === g32[i] || (Number.isNaN(expected[i]) && Number.isNaN(got[i]))) continue;
    differ++;
    if (examples.length < 10) examples.push(`x = ${x[i]}: kernel ${got[i]}, reference ${expected[i]}`);
  }
}
console.log(`${op}, 2^32 float32 inputs: ${differ} differ from the reference; ${handedBack} lanes handed back to it`);
for (const line of examples) console.log(`  ${line}`);
process.exitCode = differ === 0 ? 0 : 1;
