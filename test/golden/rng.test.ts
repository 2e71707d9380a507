// The seeded generator reproduces PyTorch's mt19937 stream bit for bit: torch.rand and nn.Linear's initialisation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, rand, type Tensor } from '../../src/index.js';
import { assertClose, loadFixture } from './golden-helpers.js';

interface Ends {
  first: number[];
  last: number[];
  sum: number;
}
interface LinearSummary {
  inFeatures: number;
  outFeatures: number;
  weight: Ends;
  bias: Ends;
}
interface SeedCase {
  seed: number;
  rand1000: Ends;
  linear784x200: LinearSummary;
  linear200x10: LinearSummary;
}

const EXACT = { rtol: 0, atol: 0 };

/**
 * First and last 8 values must be identical (the fixture's 9 digits name a float32 exactly; `fround` gives it);
 * the float64 sum may differ only by summation order.
 */
function checkEnds(values: Float32Array, e: Ends, label: string): void {
  assertClose(values.subarray(0, 8), e.first.map(Math.fround), `${label} first 8`, EXACT);
  assertClose(values.subarray(values.length - 8), e.last.map(Math.fround), `${label} last 8`, EXACT);
  let sum = 0;
  for (const v of values) sum += v;
  assertClose([sum], [e.sum], `${label} sum`, { rtol: 1e-12, atol: 1e-12 });
}

function checkLinear(l: nn.Linear, e: LinearSummary, label: string): void {
  assert.deepEqual([...l.weight.shape], [e.outFeatures, e.inFeatures]);
  checkEnds(l.weight.toArray(), e.weight, `${label} weight`);
  checkEnds((l.bias as Tensor).toArray(), e.bias, `${label} bias`);
}

const { seeds } = loadFixture<{ seeds: SeedCase[] }>('rng.json');

for (const s of seeds) {
  test(`manualSeed(${s.seed}): rand([1000]) equals torch.rand(1000)`, () => {
    manualSeed(s.seed);
    checkEnds(rand([1000]).toArray(), s.rand1000, 'rand');
  });

  test(`manualSeed(${s.seed}): Linear(784,200) then Linear(200,10) equal PyTorch's initialisation`, () => {
    manualSeed(s.seed);
    const l1 = new nn.Linear(784, 200);
    const l2 = new nn.Linear(200, 10);
    checkLinear(l1, s.linear784x200, 'Linear(784,200)');
    checkLinear(l2, s.linear200x10, 'Linear(200,10)');
  });
}
