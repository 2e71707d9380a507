// Compares the softmax kernels' port of fdlibm's exp (assembly/softmax.ts: one value at a time, and two lanes at a
// time) with Math.exp on COUNT seeded arguments (default 10^8): half are differences of float32 values as softmax
// makes them (x − max, some beyond the underflow threshold), half random float64 bit patterns (every sign, exponent,
// NaN and ±∞). Prints how many differ (NaNs of any payload count as equal); exits 1 if any does. Run after
// `npm run build` (10^8 takes about 10 s):
//   node scripts/check-fdlibm-exp.mjs [COUNT]
import { activeWasm } from '../dist/src/kernels/backend.js';
import { allocStorage } from '../dist/src/kernels/storage.js';

const arg = process.argv[2] ?? '100000000';
const count = Number(arg);
if (!Number.isInteger(count) || count < 2) {
  console.error(`check-fdlibm-exp: COUNT must be a whole number of arguments from 2, got '${arg}'`);
  process.exit(2);
}
const w = activeWasm();
if (w === null) {
  console.error('check-fdlibm-exp: the wasm kernels did not load: run `npm run build` first');
  process.exit(2);
}
const slot = allocStorage(4);
const pair = new Float64Array(w.heap.memory.buffer, slot.byteOffset, 2);
const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);
let state = 0x9e3779b9;
/** xorshift32: the next seeded 32-bit word. */
const next = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
};
const unit = () => next() / 2 ** 32;
const randomWord = () => {
  halves[0] = next();
  halves[1] = next();
  return word[0];
};
const softmaxLike = () => Math.fround(unit() * 60) - Math.fround(unit() * 60) - (unit() < 0.01 ? 700 : 0);
const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

let differ = 0;
const examples = [];
const check = (x, got, how) => {
  const want = Math.exp(x);
  if (same(got, want)) return;
  differ++;
  if (examples.length < 5) examples.push(`exp(${x}) ${how}: kernel ${got}, Math.exp ${want}`);
};
for (let i = 0; i < count; i += 2) {
  const a = i % 4 === 0 ? softmaxLike() : randomWord();
  const b = i % 4 === 0 ? randomWord() : softmaxLike();
  w.exports.fdlibmExpPair(a, b, slot.byteOffset);
  check(a, pair[0], 'in lane 0');
  check(b, pair[1], 'in lane 1');
  check(a, w.exports.fdlibmExpF64(a), 'one at a time');
}
for (const e of examples) console.log(e);
console.log(`check-fdlibm-exp: ${count} arguments in pairs (and half of them one at a time): ${differ} differ from Math.exp`);
process.exit(differ === 0 ? 0 : 1);
