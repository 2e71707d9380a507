// A DataLoader over a TensorDataset against PyTorch 1.13's (fixtures/torch/tensor-dataset.json, written by
// make_tensor_dataset.py): the same batches, in the same order, for the same seed, and the generators left where
// PyTorch leaves them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { data, Generator, manualSeed, rand, randn, tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface LoaderCase {
  label: string;
  batchSize: number;
  shuffle: boolean;
  dropLast: boolean;
  generatorSeed: number | null;
  epochs: EncodedTensor[][][];
  randAfter: EncodedTensor;
}
const fx = loadFixture<{ seed: number; tensors: EncodedTensor[]; loaders: LoaderCase[] }>('tensor-dataset.json');

test('DataLoader over a TensorDataset gives PyTorch\'s batches for the same seed, and leaves the stream where PyTorch does', () => {
  manualSeed(fx.seed);
  const ds = new data.TensorDataset(...fx.tensors.map((t) => decode(t)));
  for (const c of fx.loaders) {
    const options = { batchSize: c.batchSize, shuffle: c.shuffle, dropLast: c.dropLast, ...(c.generatorSeed === null ? {} : { generator: new Generator(c.generatorSeed) }) };
    const loader = new data.DataLoader(ds, options);
    assert.equal(loader.length, c.epochs[0]!.length, `${c.label}: batches per epoch`);
    c.epochs.forEach((epoch, e) => {
      const got = [...loader];
      assert.equal(got.length, epoch.length, `${c.label}, epoch ${e}: batches`);
      got.forEach((batch, b) => {
        assert.equal(batch.length, 3);
        batch.forEach((t, k) => {
          assert.deepEqual(t.shape, epoch[b]![k]!.shape, `${c.label}, epoch ${e}, batch ${b}, tensor ${k}: shape`);
          assert.deepEqual(Array.from(t.toArray()), values(epoch[b]![k]!), `${c.label}, epoch ${e}, batch ${b}, tensor ${k}`);
        });
      });
    });
    assert.deepEqual(Array.from(rand([2]).toArray()), values(c.randAfter), `${c.label}: the global stream afterwards`);
  }
});

test('TensorDataset: get(i) and iteration give rows, negative indices count from the end, and bad tensors are refused by name', () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]]);
  const y = tensor([7, 8, 9]);
  const ds = new data.TensorDataset(x, y);
  assert.equal(ds.length, 3);
  assert.deepEqual(ds.get(1).map((t) => t.tolist()), [[3, 4], 8]);
  assert.deepEqual(ds.get(-1).map((t) => t.tolist()), [[5, 6], 9]);
  assert.deepEqual([...ds].map(([, label]) => label!.item()), [7, 8, 9]);
  assert.throws(() => ds.get(3), /TensorDataset: index 3 is out of range for 3 examples/);
  assert.throws(() => new data.TensorDataset(x, tensor([1, 2])), /size mismatch between tensors: tensor 1 has 3 examples \(shape \[3, 2\]\), tensor 2 has 2/);
  assert.throws(() => new data.TensorDataset(), /give at least one tensor/);
  assert.throws(() => new data.TensorDataset([x, y] as unknown as ReturnType<typeof tensor>), /argument 1 is .*not a Tensor \(pass the tensors one by one/);
  // As PyTorch's: a tensor requiring grad keeps its graph, in get(i) (SelectBackward0) and in a batch, the stack
  // of its rows (StackBackward0); the loader's batches of a transposed tensor are its rows.
  const w = randn(3, 2, { requiresGrad: true });
  const row = new data.TensorDataset(w).get(0)[0]!;
  assert.deepEqual([row.requiresGrad, row.gradFn?.torchName], [true, 'SelectBackward0']);
  const [[wb]] = [...new data.DataLoader(new data.TensorDataset(w.t().t()), 3)];
  assert.deepEqual([wb!.requiresGrad, wb!.gradFn?.torchName], [true, 'StackBackward0']);
  assert.deepEqual(wb!.tolist(), w.tolist());
  const collated = data.defaultCollate([w.select(0, 0), w.select(0, 1)]);
  assert.deepEqual([collated.requiresGrad, collated.gradFn?.torchName], [true, 'StackBackward0']);
  const cols = [...new data.DataLoader(new data.TensorDataset(x.t()), 2)].map(([b]) => b!.tolist());
  assert.deepEqual(cols, [[[1, 3, 5], [2, 4, 6]]]);
  assert.throws(() => new data.DataLoader(x.sum() as never), /batches a dataset .* an array or a tensor — got a Tensor/);
});
