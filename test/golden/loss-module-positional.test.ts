// kindling-test: own process (it checks the legacy size_average/reduce warning, given once per process)
// The loss modules' constructors take PyTorch 1.13's positional arguments in each __init__'s order, then options, and
// the legacy size_average / reduce (fixtures/torch/loss-module-positional.json, from make_loss_module_positional.py):
// every loss module constructed as PyTorch's was, its attributes (reduction, weight, ignore_index, …), the deprecation
// warning, its repr and its value on the same inputs; the calls PyTorch refuses refused here, in words naming the
// class and the argument; and nonsense by position refused naming the class, the argument and the value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, type Tensor } from '../../src/index.js';
import { throwsWith } from '../engine/throws.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Arg = null | number | boolean | string | { tensor: EncodedTensor };
interface Case {
  cls: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  attrs: Record<string, number | boolean | string | null | EncodedTensor>;
  warnings: string[];
  repr: string;
  inputs: EncodedTensor[];
  out: EncodedTensor;
}
interface Refused { cls: string; args: Arg[]; kwargs: Record<string, Arg>; torch: { type: string; message: string } }
const fx = loadFixture<{ cases: Case[]; refused: Refused[] }>('loss-module-positional.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

const arg = (a: Arg): unknown => (a !== null && typeof a === 'object' ? decode(a.tensor) : a);
const isEncoded = (v: unknown): v is EncodedTensor => typeof v === 'object' && v !== null && 'shape' in v;
type Ctor = new (...a: unknown[]) => nn.Module & { forward(...x: Tensor[]): Tensor };
const ctor = (cls: string): Ctor => (nn as unknown as Record<string, Ctor>)[cls]!;

/** The call as Kindling writes it: the positional arguments, then the keywords as one object of options. */
function argumentsOf(c: { args: Arg[]; kwargs: Record<string, Arg> }): unknown[] {
  const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, arg(v)]));
  return [...c.args.map(arg), ...(Object.keys(options).length > 0 ? [options] : [])];
}

/** Where the call is shown in messages: `MSELoss(null, null, "sum", { reduction: … })`. */
const shown = (c: { cls: string; args: Arg[]; kwargs: Record<string, Arg> }): string =>
  `${c.cls}(${[...c.args.map((a) => (a !== null && typeof a === 'object' ? 'T' : JSON.stringify(a))), ...(Object.keys(c.kwargs).length > 0 ? [JSON.stringify(Object.keys(c.kwargs))] : [])].join(', ')})`;

/** A module's attribute by PyTorch's name (camelCase). */
const attribute = (m: object, k: string): unknown => (m as Record<string, unknown>)[k];

test('every loss module constructed by position (and keywords, and the legacy pair) is PyTorch\'s: attributes, warning, repr, value', () => {
  const warned: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = ((m: string | Error) => { warned.push(String(m)); }) as typeof process.emitWarning;
  const wrong: string[] = [];
  try {
    for (const c of fx.cases) {
      const label = shown(c);
      const before = warned.length;
      const m = new (ctor(c.cls))(...argumentsOf(c));
      const legacy = warned.slice(before).filter((w) => w.includes('size_average'));
      // Once per message per process, as Python's default filter: each of PyTorch's was given here or earlier.
      for (const w of c.warnings) if (!warned.includes(`${c.cls}: ${w}`)) wrong.push(`${label}: no warning "${w}"`);
      if (c.warnings.length === 0 && legacy.length > 0) wrong.push(`${label}: warned ${legacy.join('; ')}`);
      for (const [k, want] of Object.entries(c.attrs)) {
        const got = attribute(m, k);
        if (isEncoded(want)) {
          try { assertTensorClose(got as Tensor | null, want, `${label} ${k}`, { rtol: 0, atol: 0 }); } catch (e) { wrong.push((e as Error).message); }
        } else if (got !== want) wrong.push(`${label}: ${k} ${String(got)}, PyTorch ${String(want)}`);
      }
      if (String(m) !== c.repr) wrong.push(`${label}: repr ${String(m)}, PyTorch ${c.repr}`);
      try {
        assertTensorClose(m.forward(...c.inputs.map((e) => decode(e))), c.out, `${label} forward`, tol);
      } catch (e) { wrong.push((e as Error).message); }
    }
  } finally {
    process.emitWarning = origWarn;
  }
  assert.deepEqual(wrong, []);
  // The fixture covers every loss module, the legacy pair and keywords after positions.
  assert.equal(new Set(fx.cases.map((c) => c.cls)).size, 21);
  assert.ok(fx.cases.filter((c) => c.warnings.length > 0).length >= 20);
});

// Kindling's words for each of PyTorch's refusals, in the fixture's order.
const REFUSALS: Array<[ErrorConstructor, ...string[]]> = [
  [TypeError, 'MSELoss: takes at most 3 arguments', 'got the number 1 as argument 4'],
  [TypeError, 'MSELoss: sizeAverage given twice'],
  [TypeError, 'CrossEntropyLoss: weight given twice'],
  [TypeError, 'NLLLoss: takes at most 5 arguments', 'got the number 0.1 as argument 6'],
  [TypeError, 'HuberLoss: takes at most 2 arguments', 'got the number 2 as argument 3'],
  [TypeError, 'HuberLoss: unknown option "sizeAverage"', 'the options are reduction, delta'],
  [TypeError, 'GaussianNLLLoss takes its arguments by name only', 'got true'],
  [TypeError, 'TripletMarginWithDistanceLoss takes its arguments by name only', 'got null'],
  [RangeError, 'MultiMarginLoss: p must be 1 or 2', 'got the number 3'],
  [TypeError, 'CTCLoss: takes at most 3 arguments', 'got the number 1 as argument 4'],
  [TypeError, 'BCEWithLogitsLoss: posWeight given twice'],
];

test('the constructor calls PyTorch refuses are refused, naming the class and the argument', () => {
  assert.equal(fx.refused.length, REFUSALS.length);
  fx.refused.forEach((r, i) => {
    const [kind, ...parts] = REFUSALS[i]!;
    throwsWith(() => new (ctor(r.cls))(...argumentsOf(r)), kind, ...parts);
  });
});

test('nonsense by position is refused naming the class, the argument and the value', () => {
  const make = (cls: string, ...args: unknown[]): unknown => new (ctor(cls))(...args);
  throwsWith(() => make('MSELoss', 'sum'), TypeError, 'MSELoss: sizeAverage (PyTorch\'s legacy size_average) must be true, false or null, got the string "sum"', '{ reduction: "sum" }');
  throwsWith(() => make('L1Loss', null, 0), TypeError, 'L1Loss: reduce (PyTorch\'s legacy reduce) must be true, false or null, got the number 0');
  throwsWith(() => make('MSELoss', null, null, 'avg'), RangeError, 'MSELoss: reduction must be \'mean\', \'sum\' or \'none\', got "avg"');
  throwsWith(() => make('NLLLoss', 'sum'), TypeError, 'NLLLoss: weight must be a 1-D tensor of one weight per class, got the string "sum"');
  throwsWith(() => make('CrossEntropyLoss', null, null, 1.5), TypeError, 'CrossEntropyLoss: ignoreIndex must be an integer', 'got the number 1.5');
  throwsWith(() => make('CrossEntropyLoss', null, null, -100, null, 'mean', 2), RangeError, 'CrossEntropyLoss: labelSmoothing must be a number between 0 and 1, got the number 2');
  throwsWith(() => make('BCEWithLogitsLoss', null, null, null, 'mean', [1, 2]), TypeError, 'BCEWithLogitsLoss: posWeight must be a tensor', 'got an array');
  throwsWith(() => make('BCELoss', 3), TypeError, 'BCELoss: weight must be a tensor', 'got the number 3');
  throwsWith(() => make('KLDivLoss', null, null, 'avg'), RangeError, 'KLDivLoss: reduction must be \'mean\', \'batchmean\', \'sum\' or \'none\', got "avg"');
  throwsWith(() => make('KLDivLoss', null, null, 'sum', 'yes'), TypeError, 'KLDivLoss: logTarget must be true or false, got the string "yes"');
  throwsWith(() => make('SmoothL1Loss', null, null, 'sum', -1), RangeError, 'SmoothL1Loss: beta must not be negative', 'got -1');
  throwsWith(() => make('HuberLoss', 'sum', 0), RangeError, 'HuberLoss: delta must be positive', 'got 0');
  throwsWith(() => make('HuberLoss', 2), RangeError, 'HuberLoss: reduction must be \'mean\', \'sum\' or \'none\', got 2');
  throwsWith(() => make('HingeEmbeddingLoss', 'x'), TypeError, 'HingeEmbeddingLoss: margin must be a number, got the string "x"');
  throwsWith(() => make('CosineEmbeddingLoss', NaN), TypeError, 'CosineEmbeddingLoss: margin must be a number, got the number NaN');
  throwsWith(() => make('MarginRankingLoss', true), TypeError, 'MarginRankingLoss: margin must be a number, got true');
  throwsWith(() => make('MultiMarginLoss', 1, 1, [1, 2]), TypeError, 'MultiMarginLoss: weight must be a 1-D tensor of one weight per class, got an array');
  throwsWith(() => make('MultiLabelSoftMarginLoss', 'w'), TypeError, 'MultiLabelSoftMarginLoss: weight must be a tensor of one weight per class, got the string "w"');
  throwsWith(() => make('TripletMarginLoss', 1, 2, 1e-6, 'yes'), TypeError, 'TripletMarginLoss: swap must be true or false, got the string "yes"');
  throwsWith(() => make('TripletMarginLoss', 1, '2'), TypeError, 'TripletMarginLoss: p must be a number, got the string "2"');
  throwsWith(() => make('PoissonNLLLoss', 1), TypeError, 'PoissonNLLLoss: logInput must be true or false, got the number 1');
  throwsWith(() => make('PoissonNLLLoss', true, false, null, 'tiny'), TypeError, 'PoissonNLLLoss: eps must be a number, got the string "tiny"');
  throwsWith(() => make('CTCLoss', -1), TypeError, 'CTCLoss: blank must be a class index', 'got the number -1');
  throwsWith(() => make('CTCLoss', 0, 'sum', 1), TypeError, 'CTCLoss: zeroInfinity must be true or false, got the number 1');
  throwsWith(() => make('GaussianNLLLoss', { full: 1 }), TypeError, 'GaussianNLLLoss: full must be true or false, got the number 1');
  throwsWith(() => make('TripletMarginWithDistanceLoss', { distanceFunction: 3 }), TypeError, 'TripletMarginWithDistanceLoss: distanceFunction must be a function of two tensors, got the number 3');
  throwsWith(() => make('MSELoss', { reduction: 'sum' }, 'x'), TypeError, 'MSELoss: takes at most 1 argument', 'got the string "x" as argument 2');
});

test('the options forms and NLLLoss2d keep working; undefined by position is "not given"', () => {
  const w = tensor([1, 2, 3]);
  const ce = new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 1, reduction: 'sum', labelSmoothing: 0.1 });
  assert.deepEqual([ce.reduction, ce.ignoreIndex, ce.labelSmoothing, ce.weight === w], ['sum', 1, 0.1, true]);
  const nll2d = new nn.NLLLoss2d(w, null, 2, null, 'none');
  assert.deepEqual([nll2d.reduction, nll2d.ignoreIndex, nll2d.weight === w], ['none', 2, true]);
  assert.equal(new nn.MSELoss(undefined, undefined, 'sum').reduction, 'sum');
  assert.equal(new nn.MSELoss(undefined, { reduction: 'none' }).reduction, 'none');
  const bce = new nn.BCEWithLogitsLoss(null, null, null, 'mean', w);
  assert.equal(bce.posWeight, w);
  assert.equal(bce.weight, null);
  assert.equal(String(new nn.CrossEntropyLoss(w, null, 1)), 'CrossEntropyLoss()');
});
