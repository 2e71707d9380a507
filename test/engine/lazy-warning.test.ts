// Lazy layers warn as PyTorch 1.13's LazyModuleMixin does: "Lazy modules are a new feature under heavy development
// so changes to the API or functionality can happen at any moment.", from one line of its constructor, so once per
// process under Python's default filter, whichever lazy layer is made (checked with PyTorch: LazyLinear twice, then
// LazyConv2d, show it once).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn } from '../../src/index.js';

test('lazy layers warn once per process, with PyTorch\'s words', async () => {
  const seen: string[] = [];
  const listen = (w: Error): void => {
    seen.push(w.message);
  };
  process.on('warning', listen);
  try {
    new nn.LazyLinear(3);
    new nn.LazyLinear(4);
    new nn.LazyConv2d(2, 3);
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listen);
  }
  const lazy = seen.filter((m) => m.includes('Lazy modules'));
  assert.equal(lazy.length, 1, seen.join('\n'));
  assert.match(lazy[0]!, /^Lazy modules are a new feature under heavy development so changes to the API or functionality can happen at any moment\./);
});
