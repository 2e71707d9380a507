// What a fresh 1 MB Float32Array costs in this Node, against writing one already in use: the allocation itself, and
// its first writes (fresh pages from the system). Prints the fastest of five blocks of ROUNDS for each, µs.
//   node scripts/fresh-arrays.mjs [ROUNDS]
const rounds = process.argv[2] === undefined ? 2000 : Number(process.argv[2]);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`fresh-arrays: ROUNDS must be a whole number 1 or more, got "${process.argv[2]}"\n`);
  process.exit(2);
}
const N = 262144;
const src = new Float32Array(N).fill(2);
const used = new Float32Array(N);
let keep = used;
function time(name, f) {
  let best = Infinity;
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) f();
    best = Math.min(best, ((performance.now() - t0) * 1000) / rounds);
  }
  console.log(`${name.padEnd(34)} ${best.toFixed(1).padStart(7)} µs`);
}
time('new Float32Array(262144)', () => { keep = new Float32Array(N); });
time('new, then fill(1.5)', () => { keep = new Float32Array(N); keep.fill(1.5); });
time('fill(1.5) of one in use', () => { used.fill(1.5); });
time('new, then set(src)', () => { keep = new Float32Array(N); keep.set(src); });
time('set(src) into one in use', () => { used.set(src); });
if (keep.length !== N) throw new Error('unreachable');
