// Recurrent cells and layers as files: describeModule/buildModule round-trip every option, model.save and
// nn.Module.load give the same parameters and outputs (an LSTM on its own, a Sequential of cells), the parameter
// names and shapes a spec implies are the layer's, and a bad spec is refused naming the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KindlingError, manualSeed, nn, randn, type Tensor } from '../../src/index.js';
import { loadClassifier } from '../../src/cli/commands/eval.js';
import { buildModule, describeModule, formatArchitecture, parameterShapes, parseArchitecture } from '../../src/nn/serialize.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

const arr = (t: Tensor): number[] => Array.from(t.toArray());

function layers(): nn.Module[] {
  manualSeed(8);
  return [
    new nn.RNNCell(3, 4, { nonlinearity: 'relu', bias: false }), new nn.LSTMCell(3, 4), new nn.GRUCell(3, 2, false),
    new nn.RNN(3, 4, { nonlinearity: 'relu', numLayers: 2, bidirectional: true }),
    new nn.LSTM(3, 4, 2, { batchFirst: true, dropout: 0.25, bias: false }), new nn.GRU(3, 5, { bidirectional: true }),
  ];
}

test('describeModule and buildModule round-trip each recurrent layer with every option; parameterShapes are its own', () => {
  const specs = layers().map((m) => describeModule(m));
  assert.deepEqual(specs[0], { type: 'RNNCell', inputSize: 3, hiddenSize: 4, bias: false, nonlinearity: 'relu' });
  assert.deepEqual(specs[4], { type: 'LSTM', inputSize: 3, hiddenSize: 4, numLayers: 2, bias: false, batchFirst: true, dropout: 0.25, bidirectional: false });
  assert.deepEqual(specs[3], {
    type: 'RNN', inputSize: 3, hiddenSize: 4, numLayers: 2, bias: true, batchFirst: false, dropout: 0, bidirectional: true, nonlinearity: 'relu',
  });
  layers().forEach((m, i) => {
    const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(specs[i])), 'test'));
    assert.equal(rebuilt.constructor, m.constructor);
    assert.equal(String(rebuilt), String(m));
    assert.deepEqual(describeModule(rebuilt), specs[i]);
    const shapes = [...parameterShapes(specs[i]!)];
    assert.deepEqual(shapes, Object.entries(m.stateDict()).map(([k, t]) => [k, [...t.shape]]), String(m));
  });
  assert.equal(formatArchitecture(specs[4]!), 'LSTM(3, 4, num_layers=2, bias=false, batch_first=true, dropout=0.25)');
  assert.equal(formatArchitecture(specs[3]!), 'RNN(3, 4, num_layers=2, nonlinearity=relu, bidirectional=true)');
  assert.equal(formatArchitecture(specs[0]!), 'RNNCell(3, 4, nonlinearity=relu, bias=false)');
  assert.equal(formatArchitecture(specs[1]!), 'LSTMCell(3, 4)');
});

test('model.save and nn.Module.load: an LSTM on its own and a Sequential of cells give the same weights and outputs', () => {
  manualSeed(9);
  const lstm = new nn.LSTM(3, 4, 2, { bidirectional: true, batchFirst: true });
  const path = join(tmp.dir, 'lstm.safetensors');
  lstm.save(path);
  const loaded = nn.Module.load(path) as nn.LSTM;
  assert.ok(loaded instanceof nn.LSTM);
  assert.equal(String(loaded), String(lstm));
  for (const [k, t] of Object.entries(lstm.stateDict())) assert.deepEqual(arr(loaded.stateDict()[k]!), arr(t), k);
  const x = randn(2, 5, 3);
  const [a, [ha, ca]] = lstm.forward(x);
  const [b, [hb, cb]] = loaded.forward(x);
  assert.deepEqual(arr(b), arr(a));
  assert.deepEqual(arr(hb), arr(ha));
  assert.deepEqual(arr(cb), arr(ca));

  const seq = new nn.Sequential(new nn.GRUCell(3, 4), new nn.Tanh(), new nn.RNNCell(4, 2, { nonlinearity: 'relu' }));
  const p2 = join(tmp.dir, 'cells.safetensors');
  seq.save(p2);
  const back = nn.Module.load(p2);
  assert.deepEqual(Object.keys(back.stateDict()), ['0.weight_ih', '0.weight_hh', '0.bias_ih', '0.bias_hh', '2.weight_ih', '2.weight_hh', '2.bias_ih', '2.bias_hh']);
  const y = randn(6, 3);
  assert.deepEqual(arr(back.forward(y)), arr(seq.forward(y)));
});

test('an LSTM with projSize round-trips: the spec holds projSize (only when set), save and load give its weight_hr and outputs', () => {
  manualSeed(10);
  const lstm = new nn.LSTM(3, 5, { projSize: 2, numLayers: 2, bidirectional: true, bias: false });
  const spec = describeModule(lstm);
  assert.deepEqual(spec, { type: 'LSTM', inputSize: 3, hiddenSize: 5, numLayers: 2, bias: false, batchFirst: false, dropout: 0, bidirectional: true, projSize: 2 });
  assert.equal(formatArchitecture(spec), 'LSTM(3, 5, proj_size=2, num_layers=2, bias=false, bidirectional=true)');
  assert.deepEqual([...parameterShapes(spec)], Object.entries(lstm.stateDict()).map(([k, t]) => [k, [...t.shape]]));
  const path = join(tmp.dir, 'lstm-proj.safetensors');
  lstm.save(path);
  const loaded = nn.Module.load(path) as nn.LSTM;
  assert.equal(loaded.projSize, 2);
  assert.equal(String(loaded), 'LSTM(3, 5, proj_size=2, num_layers=2, bias=False, bidirectional=True)');
  assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(lstm.stateDict()));
  for (const [k, t] of Object.entries(lstm.stateDict())) assert.deepEqual(arr(loaded.stateDict()[k]!), arr(t), k);
  const x = randn(4, 2, 3);
  const [a, [ha, ca]] = lstm.forward(x);
  const [b, [hb, cb]] = loaded.forward(x);
  assert.deepEqual(hb.shape, [4, 2, 2]);
  assert.deepEqual(cb.shape, [4, 2, 5]);
  assert.deepEqual([arr(b), arr(hb), arr(cb)], [arr(a), arr(ha), arr(ca)]);
  const good = { type: 'LSTM', inputSize: 3, hiddenSize: 4, numLayers: 1, bias: true, batchFirst: false, dropout: 0, bidirectional: false };
  assert.throws(() => parseArchitecture({ ...good, projSize: 4 }, 'f'), /"projSize" 4 must be smaller than "hiddenSize" 4/);
  assert.throws(() => parseArchitecture({ ...good, projSize: 1.5 }, 'f'), /"projSize" must be a positive integer, got 1.5/);
  assert.throws(() => parseArchitecture({ ...good, type: 'GRU', projSize: 2 }, 'f'), /unknown field "projSize"/);
});

test('a bad recurrent spec is refused naming the field', () => {
  const good = { type: 'GRU', inputSize: 3, hiddenSize: 4, numLayers: 1, bias: true, batchFirst: false, dropout: 0, bidirectional: false };
  assert.doesNotThrow(() => parseArchitecture(good, 'f'));
  // PyTorch's input size of 0 is a layer Kindling makes, so its files hold it too.
  assert.deepEqual(parseArchitecture({ ...good, inputSize: 0 }, 'f'), { ...good, inputSize: 0 });
  assert.throws(() => parseArchitecture({ ...good, hiddenSize: 0 }, 'f'), /"hiddenSize" must be a positive integer, got 0/);
  assert.throws(() => parseArchitecture({ ...good, numLayers: 0 }, 'f'), /"numLayers" must be a positive integer, got 0/);
  assert.throws(() => parseArchitecture({ ...good, dropout: 2 }, 'f'), /"dropout" must be a number from 0 to 1, got 2/);
  assert.throws(() => parseArchitecture({ ...good, nonlinearity: 'relu' }, 'f'), /unknown field "nonlinearity"/);
  assert.throws(() => parseArchitecture({ ...good, type: 'RNN', nonlinearity: 'sigmoid' }, 'f'), /"nonlinearity" must be "tanh" or "relu", got "sigmoid"/);
  const { batchFirst: _, ...partial } = good;
  assert.throws(() => parseArchitecture(partial, 'f'), /"batchFirst" must be true or false, got nothing/);
  assert.throws(() => parseArchitecture({ type: 'LSTMCell', inputSize: 3, hiddenSize: 4 }, 'f'), /"bias" must be true or false, got nothing/);
});

test('kindling eval\'s loadClassifier refuses a saved recurrent layer, which gives [output, state], saying so', () => {
  manualSeed(1);
  const path = join(tmp.dir, 'gru.safetensors');
  new nn.GRU(784, 10).save(path);
  assert.throws(() => loadClassifier(path, 784), (e: Error) => e instanceof KindlingError && /gives 2 results \(a recurrent layer's output and state\), not one tensor of 10 scores per image/.test(e.message));
});
