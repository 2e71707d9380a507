// Finite-difference checks (float64 reference, test/engine/gradcheck.ts) of GELU (both forms), SiLU, ELU and Softplus,
// functional and module forms, alone and inside a small network. The references are written here from the
// definitions, independently of src/ (erf by its Taylor series, summed in float64 to full precision for |z| ≤ 3).
import { test } from 'node:test';
import { F, manualSeed, nn } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(91);

/** erf by its Taylor series Σ (−1)^n z^(2n+1) / (n!·(2n+1)), 2/√π times; enough terms for |z| ≤ 3. */
function erfRef(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; Math.abs(term) > 1e-18 * Math.abs(sum) || n < 3; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const geluRef = (v: number): number => 0.5 * v * (1 + erfRef(v / Math.SQRT2));
const geluTanhRef = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
const siluRef = (v: number): number => v / (1 + Math.exp(-v));
/** ELU with alpha as the kernels hold it, rounded to float32 (as PyTorch's `alpha.to<float>()`). */
const eluRef = (alpha: number) => (v: number): number => (v > 0 ? v : Math.fround(alpha) * Math.expm1(v));
/** Softplus with beta and threshold rounded to float32 (inputs keep away from the switch at threshold/beta). */
const softplusRef = (beta: number, threshold: number) => (v: number): number => {
  const b = Math.fround(beta);
  return b * v > Math.fround(threshold) ? v : Math.log1p(Math.exp(b * v)) / b;
};

test('the reference erf is right where GELU needs it (a check of the check)', () => {
  // erf(1), erf(2), erf(3/√2), erf(−0.5) to 16 digits (mpmath); the series loses a few ulps to cancellation at 2.
  for (const [z, e] of [[1, 0.8427007929497149], [2, 0.9953222650189527], [3 / Math.SQRT2, 0.9973002039367398], [-0.5, -0.5204998778130465]] as const) {
    if (Math.abs(erfRef(z) - e) > 2e-15) throw new Error(`erfRef(${z}) = ${erfRef(z)}, expected ${e}`);
  }
});

test('gradcheck F.gelu (none and tanh), F.silu, F.elu and F.softplus with several options', () => {
  const x = leaf(rng, [3, 5], { lo: -3, hi: 3 });
  gradcheck('gelu', { leaves: [x], forward: () => F.gelu(x), reference: ([r]) => R.map(r!, geluRef) });
  gradcheck("gelu 'tanh'", { leaves: [x], forward: () => F.gelu(x, 'tanh'), reference: ([r]) => R.map(r!, geluTanhRef) });
  gradcheck('silu', { leaves: [x], forward: () => F.silu(x), reference: ([r]) => R.map(r!, siluRef) });
  // ELU has a kink at 0 unless alpha is 1: keep away from it.
  const xe = leaf(rng, [3, 5], { lo: -3, hi: 3, avoid: [0] });
  for (const alpha of [1, 0.5, 2, 0.1, -0.5]) {
    gradcheck(`elu(${alpha})`, { leaves: [xe], forward: () => F.elu(xe, alpha), reference: ([r]) => R.map(r!, eluRef(alpha)) });
  }
  for (const [beta, threshold] of [[1, 20], [2, 3], [0.5, 1], [-1, 2], [3, 20]] as const) {
    const xs = leaf(rng, [3, 5], { lo: -4, hi: 4, avoid: [threshold / beta] });
    gradcheck(`softplus(${beta}, ${threshold})`, {
      leaves: [xs],
      forward: () => F.softplus(xs, beta, threshold),
      reference: ([r]) => R.map(r!, softplusRef(beta, threshold)),
    });
  }
});

test('gradcheck the modules (scaled by 1.5, so the upstream gradient is not the one backward starts with)', () => {
  const x = leaf(rng, [4, 3], { lo: -3, hi: 3, avoid: [0, 0.5] });
  const mods: Array<[nn.Module, (v: number) => number]> = [
    [new nn.GELU(), geluRef],
    [new nn.GELU({ approximate: 'tanh' }), geluTanhRef],
    [new nn.SiLU(), siluRef],
    [new nn.ELU(), eluRef(1)],
    [new nn.ELU(0.3), eluRef(0.3)],
    [new nn.Softplus(), softplusRef(1, 20)],
    [new nn.Softplus(2, 1), softplusRef(2, 1)],
  ];
  for (const [m, f] of mods) {
    gradcheck(String(m), { leaves: [x], forward: () => m.forward(x).mul(1.5), reference: ([r]) => R.map(R.map(r!, f), (v) => 1.5 * v) });
  }
});

test('gradcheck a network using them: Linear → GELU → Linear → SiLU → Linear → ELU → Linear → Softplus', () => {
  manualSeed(13);
  const model = new nn.Sequential(
    new nn.Linear(5, 4), new nn.GELU(), new nn.Linear(4, 4), new nn.SiLU(), new nn.Linear(4, 3), new nn.ELU(0.7), new nn.Linear(3, 2), new nn.Softplus(2),
  );
  const x = leaf(rng, [3, 5], { lo: -2, hi: 2 });
  const params = model.parameters();
  gradcheck('network', {
    leaves: [x, ...params],
    forward: () => model.forward(x),
    reference: ([xr, ...p]) => {
      let h = R.map(R.linear(xr!, p[0]!, p[1]!), geluRef);
      h = R.map(R.linear(h, p[2]!, p[3]!), siluRef);
      h = R.map(R.linear(h, p[4]!, p[5]!), eluRef(0.7));
      return R.map(R.linear(h, p[6]!, p[7]!), softplusRef(2, 20));
    },
  });
});
