// The losses' weights are buffers, as PyTorch's `_WeightedLoss` registers them: `CrossEntropyLoss(weight=w).state_dict()`
// is {'weight': w}, `BCEWithLogitsLoss(pos_weight=p)`'s {'pos_weight': p}, and a model holding a weighted loss has
// its key (`lossFunction.weight`). Without a weight, nothing (PyTorch registers None).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, type Tensor } from '../../src/index.js';

const keys = (m: nn.Module): string[] => Object.keys(m.stateDict());

test('a loss given a weight lists it as a buffer and in its state dict, under PyTorch\'s names', () => {
  const w = tensor([1, 2, 3]);
  assert.deepEqual(keys(new nn.CrossEntropyLoss({ weight: w })), ['weight']);
  assert.deepEqual(keys(new nn.NLLLoss({ weight: w })), ['weight']);
  assert.deepEqual(keys(new nn.BCELoss({ weight: w })), ['weight']);
  assert.deepEqual(keys(new nn.BCEWithLogitsLoss({ weight: w, posWeight: tensor([2, 1, 1]) })), ['weight', 'pos_weight']);
  assert.deepEqual(keys(new nn.BCEWithLogitsLoss({ posWeight: tensor([2]) })), ['pos_weight']);
  assert.deepEqual(new nn.CrossEntropyLoss({ weight: w }).namedBuffers().map(([k, b]) => [k, Array.from(b.toArray())]), [['weight', [1, 2, 3]]]);
  for (const m of [new nn.CrossEntropyLoss(), new nn.NLLLoss(), new nn.BCELoss(), new nn.BCEWithLogitsLoss(), new nn.MSELoss()]) {
    assert.deepEqual(keys(m), []);
    assert.equal(m.parameters().length, 0);
  }
});

test('a model holding a weighted loss has its key, as PyTorch\'s state_dict', () => {
  class Classifier extends nn.Module {
    model = new nn.Sequential(new nn.Linear(2, 2));
    lossFunction = new nn.CrossEntropyLoss({ weight: tensor([1, 2]) });
    forward(x: Tensor): Tensor {
      return this.model.forward(x);
    }
  }
  assert.deepEqual(keys(new Classifier()), ['model.0.weight', 'model.0.bias', 'lossFunction.weight']);
});

test('loading a state dict changes the weight the loss uses (PyTorch: 1.3132616 for weights [3, 4])', () => {
  const l = new nn.CrossEntropyLoss({ weight: tensor([1, 2]), reduction: 'sum' });
  l.loadStateDict({ weight: tensor([3, 4]) });
  assert.deepEqual(Array.from(l.weight!.toArray()), [3, 4]);
  // −3·log softmax([1, 2])[0] = 3·1.3132616
  assert.equal(l.forward(tensor([[1, 2]]), tensor([0])).item(), Math.fround(3 * Math.fround(1.31326162815094)));
  const b = new nn.BCEWithLogitsLoss({ posWeight: tensor([1]) });
  b.loadStateDict({ pos_weight: tensor([2]) });
  assert.deepEqual(Array.from(b.posWeight!.toArray()), [2]);
  assert.ok(Math.abs(b.forward(tensor([0.5]), tensor([1])).item() - 0.9481539726257324) < 1e-6);
});
