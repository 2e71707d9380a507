// Module.loadStateDict against PyTorch 1.13's load_state_dict (fixtures/torch/load-state-dict.json, from
// make_load_state_dict.py): state dicts with missing, unexpected and mis-shaped keys, strict or not, into a Linear,
// nested Sequentials, BatchNorm layers and a module with a non-persistent buffer. Strict or not, PyTorch's message
// (its lines joined into one, shapes printed as Kindling prints them); not strict, the keys it returns and how that
// prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, zeros, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Case {
  model: string;
  given: Array<[string, number[]]>;
  strict: boolean;
  error?: string;
  missing?: string[];
  unexpected?: string[];
  printed?: string;
}

const fx = loadFixture<{ cases: Case[] }>('load-state-dict.json');

class Buffers extends nn.Module {
  w = new nn.Parameter(ones([2]));
  constructor() {
    super();
    this.registerBuffer('kept', ones([2]));
    this.registerBuffer('scratch', ones([2]), false);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

const models: Record<string, () => nn.Module> = {
  linear: () => new nn.Linear(2, 3),
  nested: () => new nn.Sequential(new nn.Linear(1, 1), new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU())),
  bn: () => new nn.Sequential(new nn.Linear(3, 3), new nn.BatchNorm1d(3)),
  bnNoStats: () => new nn.BatchNorm1d(3, { trackRunningStats: false }),
  buffers: () => new Buffers(),
};

/** PyTorch's message on one line: its `\n\t` line breaks as spaces, `torch.Size([2, 3])` as `[2, 3]`. */
const oneLine = (message: string): string =>
  `loadStateDict: ${message.replace(/ ?\n\t/g, ' ').replace(/torch\.Size\((\[[^\]]*\])\)/g, '$1').trimEnd()}`;

test('loadStateDict refuses what PyTorch refuses, in its words, and returns the keys it returns', () => {
  assert.equal(fx.cases.length, 40);
  for (const c of fx.cases) {
    const label = `${c.model} ← ${c.given.map(([k, s]) => `${k}[${s.join(',')}]`).join(' ')} (strict ${c.strict})`;
    const state = new Map(c.given.map(([k, shape]) => [k, zeros(shape)]));
    const load = (): ReturnType<nn.Module['loadStateDict']> => models[c.model]!().loadStateDict(state, { strict: c.strict });
    if (c.error !== undefined) {
      assert.throws(load, (e: unknown) => e instanceof RangeError && e.message === oneLine(c.error!), label);
      continue;
    }
    const r = load();
    assert.deepEqual([r.missingKeys, r.unexpectedKeys], [c.missing, c.unexpected], label);
    assert.equal(String(r), c.printed, label);
  }
});

test('loadStateDict names a value that is not a tensor as PyTorch does', () => {
  const lin = new nn.Linear(1, 1);
  assert.throws(() => lin.loadStateDict({ weight: 3 as unknown as Tensor, bias: ones([1]) }), {
    name: 'TypeError',
    message: 'loadStateDict: while copying the parameter named "weight", expected a Tensor from checkpoint but received the number 3',
  });
});
