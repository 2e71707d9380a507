// kindling-test: own process (it checks a warning given once per process)
// PyTorch 1.13's Linear and convolutions initialise their weight with kaiming_uniform_, which warns
// "Initializing zero-element tensors is a no-op" for a weight with no elements: `nn.Linear(0, 3)` and
// `nn.Conv2d(0, 4, 3)` print it, `nn.Embedding(5, 0)` and `nn.BatchNorm1d(0)` do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn } from '../../src/index.js';

test('a Linear made with a size of 0 warns as PyTorch does, once', () => {
  const seen: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = ((m: string | Error) => { seen.push(String(m)); }) as typeof process.emitWarning;
  try {
    new nn.Embedding(5, 0);
    new nn.BatchNorm1d(0);
    new nn.Linear(2, 3);
    assert.deepEqual(seen, [], 'no warning from layers that do not use kaiming_uniform_ or whose weight has elements');
    assert.deepEqual([...new nn.Linear(0, 3).weight.shape], [3, 0]);
    assert.deepEqual(seen, ['Initializing zero-element tensors is a no-op']);
    new nn.Conv2d(0, 4, 3);
    assert.equal(seen.length, 1, 'once per process, as Python\'s default filter shows it');
    // The layers warn from kaiming_uniform_'s place (PyTorch 1.13: `nn.Linear(0, 3); nn.init.kaiming_uniform_(e)`
    // prints it once, and a kaiming_normal_(e) after them once more).
    nn.init.kaimingUniform_(new nn.Linear(3, 0).weight);
    assert.equal(seen.length, 1, 'kaimingUniform_ is the place the layers warn from');
    nn.init.kaimingNormal_(new nn.Linear(3, 0).weight);
    assert.equal(seen.length, 2, 'kaimingNormal_ is another place');
  } finally {
    process.emitWarning = origWarn;
  }
});
