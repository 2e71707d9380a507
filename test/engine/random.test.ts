// Randomness: PyTorch's stream from the same seed, repeatability, independent generators, state round trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Generator, getDefaultGenerator, manualSeed, nn, rand, randn, withGenerator } from '../../src/index.js';
import { fmaf } from '../../src/kernels/ref/fmaf.js';

const list = (t: { toArray(): Float32Array }): number[] => [...t.toArray()];

test('manualSeed(0); rand([5]) equals torch.manual_seed(0); torch.rand(5)', () => {
  manualSeed(0);
  assert.deepEqual(list(rand([5])), [0.49625658988952637, 0.7682217955589294, 0.08847743272781372, 0.13203048706054688, 0.30742281675338745]);
});

test('Linear draws exactly as many values as PyTorch, in its order (values from torch 1.13)', () => {
  // torch.manual_seed(0); l = nn.Linear(4, 3); l.weight, l.bias, then torch.rand(2).
  manualSeed(0);
  const lin = new nn.Linear(4, 3);
  assert.deepEqual(list(lin.weight), [
    -0.003743410110473633, 0.26822179555892944, -0.4115225672721863, -0.3679695129394531,
    -0.19257718324661255, 0.13407868146896362, -0.009906589984893799, 0.39644473791122437,
    -0.04437202215194702, 0.1323062777519226, -0.15110653638839722, -0.09828269481658936,
  ]);
  assert.deepEqual(list(lin.bias!), [-0.4776742458343506, -0.33114105463027954, -0.20611155033111572]);
  assert.deepEqual(list(rand([2])), [0.518521785736084, 0.6976675987243652]);
});

test('seeds: 64-bit as in PyTorch, negative ones modulo 2^64, only the low 32 bits matter; bad seeds are rejected', () => {
  manualSeed(2 ** 32 + 5);
  const high = list(rand([3]));
  manualSeed(5);
  assert.deepEqual(list(rand([3])), high);
  assert.deepEqual(high, [0.8302518725395203, 0.12611091136932373, 0.9074696898460388]);
  // torch.manual_seed(s); torch.initial_seed(), torch.rand(2) in torch 1.13:
  const torch: [number | bigint, number | bigint, number[]][] = [
    [-1, 18446744073709551615n, [0.9937993884086609, 0.5713063478469849]],
    [-5, 18446744073709551611n, [0.9308151006698608, 0.6607242226600647]],
    [2 ** 63, 9223372036854775808n, [0.49625658988952637, 0.7682217955589294]],
    [-(2n ** 63n), 9223372036854775808n, [0.49625658988952637, 0.7682217955589294]],
    [2n ** 64n - 1n, 18446744073709551615n, [0.9937993884086609, 0.5713063478469849]],
    [5n, 5, [0.8302518725395203, 0.12611091136932373]],
  ];
  for (const [seed, initial, values] of torch) {
    assert.equal(manualSeed(seed).initialSeed(), initial, `seed ${seed}`);
    assert.deepEqual(list(rand([2])), values, `seed ${seed}`);
    assert.deepEqual(new Generator(seed).getState().mt, new Generator(initial).getState().mt);
  }
  const said = 'manualSeed: seed must be an integer from -2^63 to 2^64 - 1 (a number or a bigint; a negative one counts modulo 2^64, as in PyTorch), got';
  for (const [bad, shown] of [[1.5, '1.5'], [2 ** 64, '18446744073709552000'], [-(2n ** 63n) - 1n, '-9223372036854775809n'], [NaN, 'NaN'], ['3', 'a string']] as const) {
    assert.throws(() => manualSeed(bad as number), (e: unknown) => e instanceof RangeError && e.message === `${said} ${shown}`, String(bad));
  }
  assert.equal(manualSeed(9).initialSeed(), 9);
});

test('the same seed gives identical Linear initialisations; different seeds differ', () => {
  manualSeed(42);
  const a = new nn.Sequential(new nn.Linear(20, 10), new nn.Linear(10, 3));
  manualSeed(42);
  const b = new nn.Sequential(new nn.Linear(20, 10), new nn.Linear(10, 3));
  manualSeed(43);
  const c = new nn.Sequential(new nn.Linear(20, 10), new nn.Linear(10, 3));
  const params = (m: nn.Module): number[][] => m.parameters().map(list);
  assert.deepEqual(params(b), params(a));
  params(c).forEach((p, i) => assert.notDeepEqual(p, params(a)[i]));
  // An explicit generator gives the same weights as the default one seeded alike.
  const d = new nn.Linear(20, 10, { generator: new Generator(42) });
  assert.deepEqual(params(d), params(a).slice(0, 2));
});

test('Generator instances are independent of each other and of the default generator', () => {
  const g1 = new Generator(5);
  const g2 = new Generator(5);
  manualSeed(5);
  const a1 = list(rand([2], { generator: g1 }));
  list(rand([7])); // draws from the default generator do not disturb g1 or g2
  list(rand([3], { generator: g2 }));
  const a2 = list(rand([2], { generator: g1 }));
  const b = list(rand([4], { generator: new Generator(5) }));
  assert.deepEqual([...a1, ...a2], b);
  manualSeed(5);
  assert.deepEqual(list(rand([4])), b, 'the default generator seeded alike gives the same stream');
  // withGenerator swaps the default generator for the duration of a call, even if it throws.
  const before = getDefaultGenerator();
  const g3 = new Generator(5);
  const inside = withGenerator(g3, () => list(rand([4])));
  assert.deepEqual(inside, b);
  assert.equal(getDefaultGenerator(), before);
  assert.throws(() => withGenerator(g3, () => { throw new Error('x'); }));
  assert.equal(getDefaultGenerator(), before);
});

test('getState / setState round trip, including the cached second normal value', () => {
  const g = new Generator(11);
  rand([3], { generator: g });
  g.normal(); // leaves one cached Box–Muller value
  const state = g.getState();
  const u = list(rand([5], { generator: g }));
  const n = list(randn([5], { generator: g }));
  g.setState(state);
  assert.deepEqual(list(rand([5], { generator: g })), u);
  assert.deepEqual(list(randn([5], { generator: g })), n);
  // The state is a copy: drawing more does not change a saved state.
  const copy = JSON.parse(JSON.stringify(state)) as typeof state;
  assert.deepEqual(g.getState().mt.length, 624);
  assert.deepEqual(state, copy);
  const h = new Generator(0);
  h.setState(copy);
  assert.deepEqual(list(rand([5], { generator: h })), u);
  assert.throws(() => h.setState({ ...copy, mt: [1, 2, 3] }), /624/);
  assert.throws(() => h.setState({ ...copy, index: 700 }), /index/);
  assert.throws(() => h.setState({ ...copy, mt: copy.mt.map(() => -1) }), /32-bit/);
});

test('randn is repeatable, roughly standard normal; rand lies in [0, 1)', () => {
  manualSeed(1);
  const a = list(randn([20000]));
  manualSeed(1);
  assert.deepEqual(list(randn([20000])), a);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
  // Standard errors: 1/√20000 ≈ 0.007 for the mean, ≈ 0.01 for the variance.
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  const within1 = a.filter((v) => Math.abs(v) < 1).length / a.length;
  assert.ok(Math.abs(within1 - 0.6827) < 0.02, `P(|z| < 1) = ${within1}`);
  const u = list(rand([20000]));
  assert.ok(u.every((v) => v >= 0 && v < 1));
  assert.ok(Math.abs(u.reduce((s, v) => s + v, 0) / u.length - 0.5) < 0.01);
  const g = new Generator(3);
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5000; i++) counts[g.randint(5)]!++;
  assert.ok(counts.every((c) => Math.abs(c - 1000) < 150), `randint counts ${counts}`);
  assert.throws(() => g.randint(0), /bound/);
});

test('fmaf rounds a·b + c once, as a float32 FMA instruction, where rounding the float64 sum again would not', () => {
  // a·b + c = 4327332608 + 2^-22 exactly: the float64 sum drops the 2^-22 and lands halfway between the float32
  // values 4327332352 and 4327332864, and fround breaks that tie to even, the wrong way. (Values from a search;
  // the expected results are glibc's fmaf.)
  const a = 5191.46142578125;
  const b = 6234.33544921875;
  const c = 4294967296;
  assert.equal(Math.fround(a * b + c), 4327332864, 'the double rounding this guards against');
  assert.equal(fmaf(a, b, c), 4327332352);
  assert.equal(fmaf(-a, b, -c), -4327332352);
  // Exactly halfway (no float64 rounding at all): ties to even, as the instruction does.
  assert.equal(fmaf(1 + 2 ** -23, 1 + 2 ** -23, 2 ** -24 - 2 ** -46), 1 + 2 ** -22);
  // 2^-22 above another halfway point, whose tie to even happens to go up as well: the same answer either way.
  assert.equal(fmaf(5580.69287109375, 4355.26708984375, c), 4319272960);
  assert.ok(Object.is(fmaf(-0, 1, 0), 0) && Object.is(fmaf(-0, 1, -0), -0), 'signed zeros as IEEE 754 adds them');
  assert.equal(fmaf(3, 0.5, 0.25), 1.75);
});
