// The distributions a chapter's user touches, at edge parameters, against PyTorch 1.13 (fixtures/torch/
// distributions-fuzz.json, from make_distributions_fuzz.py): batch and event shapes, mean, mode, variance, stddev,
// entropy, log_prob inside, at the edges of and outside the support (PyTorch's refusal, and the value with
// validateArgs false), cdf and icdf, the shapes of sample and rsample, expand, the gradients of log_prob's and
// entropy's sums, and the constructors PyTorch refuses, with its message (the distributions' own, ValueError; where a
// tensor op refuses, as with validateArgs false, Kindling's op refuses too, in its words). Every difference of a case
// is listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor, type Tolerance } from './golden-helpers.js';

type E = EncodedTensor;
interface Failure { error: string; message: string }
type Result = E | Failure | { shape: number[] };
type Param = E | { number: number };
interface Case {
  family: string; note: string; params: Record<string, Param>; values: E[]; ctor: Failure | { shape: number[] };
  batchShape?: number[]; eventShape?: number[];
  mean?: Result; mode?: Result; variance?: Result; stddev?: Result; entropy?: Result;
  logProb?: Result[]; logProbUnchecked?: Result[]; cdf?: Result[]; quantiles?: E; icdf?: Result;
  sampleShape?: Result; rsampleShape?: Result | null; expandBatch?: number[]; expandLogProb?: Result;
  logProbGrads?: Record<string, E | null> | null; entropyGrads?: Record<string, E | null> | null;
}
const fx = loadFixture<{ cases: Case[] }>('distributions-fuzz.json');
const D = distributions;
type P = Record<string, Tensor | number>;
type O = { validateArgs?: boolean };
const T = (v: Tensor | number): Tensor => (typeof v === 'number' ? tensor(v) : v);
/** probs or logits, whichever the case gives, with the options. */
const pl = (p: P, o: O): { probs: Tensor | number; validateArgs?: boolean } | { logits: Tensor | number; validateArgs?: boolean } =>
  (p.probs !== undefined ? { probs: p.probs, ...o } : { logits: p.logits!, ...o });
const MAKE: Record<string, (p: P, o: O) => distributions.Distribution> = {
  Normal: (p, o) => new D.Normal(p.loc!, p.scale!, o),
  Uniform: (p, o) => new D.Uniform(p.low!, p.high!, o),
  Exponential: (p, o) => new D.Exponential(p.rate!, o),
  Laplace: (p, o) => new D.Laplace(p.loc!, p.scale!, o),
  Gamma: (p, o) => new D.Gamma(p.concentration!, p.rate!, o),
  Beta: (p, o) => new D.Beta(p.concentration1!, p.concentration0!, o),
  Dirichlet: (p, o) => new D.Dirichlet(T(p.concentration!), o),
  Poisson: (p, o) => new D.Poisson(p.rate!, o),
  Bernoulli: (p, o) => new D.Bernoulli(pl(p, o) as never),
  Geometric: (p, o) => new D.Geometric(pl(p, o) as never),
  Categorical: (p, o) => new D.Categorical(pl(p, o) as never),
  OneHotCategorical: (p, o) => new D.OneHotCategorical(pl(p, o) as never),
  Binomial: (p, o) => new D.Binomial(p.total_count!, pl(p, o) as never),
  Multinomial: (p, o) => new D.Multinomial(p.total_count as number, pl(p, o) as never),
  MultivariateNormal: (p, o) => new D.MultivariateNormal(T(p.loc!), {
    ...(p.covariance_matrix !== undefined ? { covarianceMatrix: T(p.covariance_matrix) } : {}),
    ...(p.precision_matrix !== undefined ? { precisionMatrix: T(p.precision_matrix) } : {}),
    ...(p.scale_tril !== undefined ? { scaleTril: T(p.scale_tril) } : {}),
    ...o,
  }),
  LogNormal: (p, o) => new D.LogNormal(p.loc!, p.scale!, o),
  HalfNormal: (p, o) => new D.HalfNormal(p.scale!, o),
  HalfCauchy: (p, o) => new D.HalfCauchy(p.scale!, o),
  Chi2: (p, o) => new D.Chi2(p.df!, o),
  Pareto: (p, o) => new D.Pareto(p.scale!, p.alpha!, o),
  RelaxedBernoulli: (p, o) => new D.RelaxedBernoulli(p.temperature!, { probs: p.probs!, ...o }),
  NegativeBinomial: (p, o) => new D.NegativeBinomial(p.total_count!, { probs: p.probs!, ...o }),
};
const TOL: Tolerance = { rtol: 2e-5, atol: 2e-6 };
const GRAD_TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

const isFailure = (r: unknown): r is Failure => typeof r === 'object' && r !== null && 'error' in r;
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Compares what Kindling does (`run`) with PyTorch's result: a tensor, a shape, or a refusal and its message. */
function check(problems: string[], label: string, want: Result | undefined | null, run: () => Tensor | readonly number[], tol = TOL): void {
  if (want === undefined || want === null) return;
  let got: Tensor | readonly number[];
  try {
    got = run();
  } catch (e) {
    if (!isFailure(want)) problems.push(`${label}: threw ${firstLine(e)}`);
    else if (want.error === 'NotImplementedError' && (want.message === '' || want.message.startsWith('<class'))) {
      // PyTorch's generic "<class …> does not implement mode": Kindling's says so in its words.
      if (!/does not implement|not implemented/.test(firstLine(e))) problems.push(`${label}: threw ${firstLine(e)}, PyTorch's NotImplementedError`);
    } else if ((want.error === 'ValueError' || want.error === 'NotImplementedError') && firstLine(e) !== want.message) {
      problems.push(`${label}: message\n    ${firstLine(e)}\n  PyTorch's\n    ${want.message}`);
    }
    return;
  }
  if (isFailure(want)) {
    problems.push(`${label}: no error, PyTorch's ${want.error}: ${want.message}`);
    return;
  }
  if ('data' in want) {
    try {
      assertTensorClose(got as Tensor, want, label, tol);
    } catch (e) {
      problems.push(firstLine(e));
    }
  } else if (JSON.stringify([...(Array.isArray(got) ? got : (got as Tensor).shape)]) !== JSON.stringify(want.shape)) {
    problems.push(`${label}: shape [${Array.isArray(got) ? got.join(', ') : (got as Tensor).shape.join(', ')}], PyTorch's [${want.shape.join(', ')}]`);
  }
}

function params(c: Case, requiresGrad: boolean): P {
  return Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, 'number' in v ? v.number : decode(v, requiresGrad)]));
}

function grads(problems: string[], label: string, c: Case, want: Record<string, E | null> | null | undefined, of: (d: distributions.Distribution) => Tensor): void {
  if (want === undefined || want === null) return;
  const p = params(c, true);
  let out: Tensor;
  try {
    out = of(MAKE[c.family]!(p, {}));
    out.sum().backward();
  } catch (e) {
    problems.push(`${label}: threw ${firstLine(e)}`);
    return;
  }
  for (const [k, g] of Object.entries(want)) {
    const leaf = p[k] as Tensor;
    if (g === null) {
      if (leaf.grad !== null && leaf.grad.toArray().some((v) => v !== 0)) problems.push(`${label}: ${k} has a gradient, PyTorch's none`);
      continue;
    }
    check(problems, `${label} of ${k}`, g, () => leaf.grad ?? tensor(NaN), GRAD_TOL);
  }
}

for (const [i, c] of fx.cases.entries()) {
  test(`${c.family} (${c.note}) as PyTorch's [case ${i}]`, () => {
    const problems: string[] = [];
    const make = (o: O = {}): distributions.Distribution => MAKE[c.family]!(params(c, false), o);
    check(problems, 'constructor', c.ctor, () => make().batchShape);
    if (isFailure(c.ctor)) {
      assert.deepEqual(problems, []);
      return;
    }
    const d = make();
    check(problems, 'batchShape', { shape: c.batchShape! }, () => d.batchShape);
    check(problems, 'eventShape', { shape: c.eventShape! }, () => d.eventShape);
    for (const m of ['mean', 'mode', 'variance', 'stddev'] as const) check(problems, m, c[m], () => d[m]);
    check(problems, 'entropy', c.entropy, () => d.entropy());
    const unchecked = make({ validateArgs: false });
    c.values.forEach((v, k) => {
      check(problems, `logProb(values[${k}])`, c.logProb![k], () => d.logProb(decode(v)));
      check(problems, `logProb(values[${k}]) unchecked`, c.logProbUnchecked![k], () => unchecked.logProb(decode(v)));
      check(problems, `cdf(values[${k}])`, c.cdf![k], () => d.cdf(decode(v)));
    });
    if (c.quantiles !== undefined) check(problems, 'icdf', c.icdf, () => d.icdf(decode(c.quantiles!)));
    check(problems, 'sample([2]) shape', c.sampleShape, () => d.sample([2]).shape);
    if (c.rsampleShape !== null) check(problems, 'rsample([2]) shape', c.rsampleShape, () => d.rsample([2]).shape);
    else if (d.hasRsample) problems.push('hasRsample true, PyTorch\'s false');
    const e = d.expand([3, ...d.batchShape]);
    check(problems, 'expand batchShape', { shape: c.expandBatch! }, () => e.batchShape);
    check(problems, 'expanded logProb(values[0])', c.expandLogProb, () => e.logProb(decode(c.values[0]!)));
    grads(problems, 'logProb(values[0]) gradient', c, c.logProbGrads, (x) => x.logProb(decode(c.values[0]!)));
    grads(problems, 'entropy gradient', c, c.entropyGrads, (x) => x.entropy());
    assert.deepEqual(problems, [], `${c.family} (${c.note}):\n${problems.join('\n')}`);
  });
}
