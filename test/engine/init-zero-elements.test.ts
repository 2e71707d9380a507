// kindling-test: own process (it checks a warning given once per process from each place)
// PyTorch 1.13's kaiming_uniform_ and kaiming_normal_ leave a tensor with no elements alone with a UserWarning,
// "Initializing zero-element tensors is a no-op" (`nn.init.kaiming_normal_(torch.empty(3, 0))` prints it);
// layer-zero-elements.test.ts checks the layers' default initialisation, which warns too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, zeros } from '../../src/index.js';

test('a zero-element tensor given to the Kaiming fills is left alone with PyTorch\'s warning, once from each fill', () => {
  const seen: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = ((m: string | Error) => { seen.push(String(m)); }) as typeof process.emitWarning;
  try {
    nn.init.kaimingNormal_(zeros([3, 2]));
    nn.init.normal_(zeros([3, 0]));
    assert.deepEqual(seen, [], 'no warning for a tensor with elements, nor from normal_');
    const w = zeros([3, 0]);
    assert.equal(nn.init.kaimingNormal_(w), w);
    assert.deepEqual(seen, ['Initializing zero-element tensors is a no-op']);
    nn.init.kaimingNormal_(zeros([0, 2]));
    assert.equal(seen.length, 1, 'once per process from kaimingNormal_, as Python\'s default filter shows it');
    // Python's default filter keys a warning by its place in the code: PyTorch 1.13's kaiming_uniform_ warns from a
    // line of its own, so `kaiming_normal_(e); kaiming_uniform_(e); kaiming_uniform_(e)` prints it twice.
    nn.init.kaimingUniform_(zeros([0]));
    assert.deepEqual(seen, ['Initializing zero-element tensors is a no-op', 'Initializing zero-element tensors is a no-op']);
    nn.init.kaimingUniform_(zeros([2, 0]));
    assert.equal(seen.length, 2, 'once per process from kaimingUniform_');
  } finally {
    process.emitWarning = origWarn;
  }
});
