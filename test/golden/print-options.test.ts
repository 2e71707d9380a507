// setPrintoptions against PyTorch 1.13's torch.set_printoptions (fixtures/torch/print-options.json, from
// make_print_options.py): the printed text of integral, fixed, scientific, mixed, wide, summarised and 3-D tensors
// under each precision, threshold, edgeitems, linewidth, profile and sciMode, character for character.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { getPrintoptions, setPrintoptions, tensor, type PrintOptions } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const fx = loadFixture<{ settings: [string, PrintOptions][]; printed: Record<string, Record<string, string>> }>('print-options.json');

const TENSORS: Record<string, () => ReturnType<typeof tensor>> = {
  'fixed': () => tensor([1.23456, -2.5, 0.333333, 10]),
  'small': () => tensor([1.23456, 2.5, 1e-5]),
  'integral': () => tensor([[0, 1, 2], [30, -4, 5]]),
  'wide': () => tensor(Array.from({ length: 20 }, (_, i) => i / 3)),
  'mixed': () => tensor([1.5, Infinity, NaN, -2.25]),
  'large': () => tensor(Array.from({ length: 2000 }, (_, i) => i)),
  'grid': () => tensor(Array.from({ length: 60 }, (_, i) => i / 7), [3, 4, 5]),
  'big': () => tensor([1e9, 2.5e9, -3e9]),
  'requires grad': () => tensor([0.5, 1.25], { requiresGrad: true }),
};

afterEach(() => setPrintoptions({ profile: 'default' }));

for (const [name, options] of fx.settings) {
  test(`setPrintoptions(${JSON.stringify(options)}): tensors print as PyTorch prints them`, () => {
    setPrintoptions(options);
    for (const [t, want] of Object.entries(fx.printed[name]!)) assert.equal(String(TENSORS[t]!()), want, `${t}`);
  });
}

test('profiles reset what they set, sciMode goes back to automatic unless given, and bad options are refused', () => {
  setPrintoptions({ precision: 7, sciMode: true });
  setPrintoptions({ linewidth: 100 });
  assert.deepEqual(getPrintoptions(), { precision: 7, threshold: 1000, edgeitems: 3, linewidth: 100, sciMode: null });
  setPrintoptions({ profile: 'full' });
  assert.equal(getPrintoptions().threshold, Infinity);
  assert.throws(() => setPrintoptions({ precision: -1 }), /precision must be a whole number ≥ 0/);
  assert.throws(() => setPrintoptions({ profile: 'long' as 'full' }), /profile must be 'default', 'short' or 'full'/);
  assert.throws(() => setPrintoptions({ sci_mode: true } as never), /unknown option/);
});

test('an option given as null (or undefined) is left unchanged, as PyTorch\'s None', () => {
  setPrintoptions({ precision: 7, threshold: 50, edgeitems: 2, linewidth: 60 });
  setPrintoptions({ precision: null, threshold: null, edgeitems: null, linewidth: undefined, profile: null });
  assert.deepEqual(getPrintoptions(), { precision: 7, threshold: 50, edgeitems: 2, linewidth: 60, sciMode: null });
  assert.equal(String(tensor([1 / 3])), 'tensor([0.3333333])');
});

test('the options may be given by position, in torch.set_printoptions\' order (precision, threshold, edgeitems, linewidth, profile, sci_mode)', () => {
  setPrintoptions(2);
  // PyTorch 1.13: torch.set_printoptions(2); print(torch.tensor([1/3, 2.5])) → tensor([0.33, 2.50])
  assert.equal(String(tensor([1 / 3, 2.5])), 'tensor([0.33, 2.50])');
  setPrintoptions(4, 1000, 3, 80);
  assert.deepEqual(getPrintoptions(), { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
  setPrintoptions(null, null, null, null, 'short', true);
  assert.deepEqual(getPrintoptions(), { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80, sciMode: true });
  assert.throws(() => setPrintoptions(2, { precision: 3 }), /setPrintoptions: precision given twice/);
});
