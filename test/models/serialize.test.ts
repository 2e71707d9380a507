import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { ModelFileError } from '../../src/io/model-file.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { loadFile, saveFile } from '../../src/io/safetensors-file.js';
import * as nn from '../../src/nn/index.js';
import {
  buildModule,
  describeModule,
  formatArchitecture,
  loadModel,
  loadWeights,
  parseArchitecture,
  readModel,
  saveModel,
} from '../../src/nn/serialize.js';
import { AveragedModel } from '../../src/optim/swa-utils.js';
import { Generator, getDefaultGenerator, withGenerator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { existsSync, readFileSync } from 'node:fs';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

/** Every layer kind Kindling saves, nested once, with non-default options. */
function zoo(): nn.Sequential {
  return withGenerator(new Generator(5), () => new nn.Sequential(
    new nn.Linear(6, 5),
    new nn.LeakyReLU(0.02),
    new nn.LayerNorm(5, { eps: 1e-3 }),
    new nn.Sequential(new nn.Linear(5, 4, { bias: false }), new nn.Tanh(), new nn.LayerNorm([4], { elementwiseAffine: false })),
    new nn.ReLU(),
    new nn.Identity(),
    new nn.Linear(4, 3),
    new nn.Sigmoid(),
    new nn.Softmax(-1),
    new nn.LogSoftmax(1),
  ));
}

function input(seed: number, rows: number, cols: number): Tensor {
  const g = new Generator(seed);
  return new Tensor(Float32Array.from({ length: rows * cols }, () => g.uniform(-2, 2)), [rows, cols]);
}

const forward = (m: nn.Module, x: Tensor): Float32Array => noGrad(() => m.forward(x).toArray());

test('describeModule and buildModule round-trip every supported layer', () => {
  const spec = describeModule(zoo());
  assert.deepEqual(spec, {
    type: 'Sequential',
    layers: [
      { type: 'Linear', inFeatures: 6, outFeatures: 5, bias: true },
      { type: 'LeakyReLU', negativeSlope: 0.02 },
      { type: 'LayerNorm', normalizedShape: [5], eps: 1e-3, elementwiseAffine: true },
      { type: 'Sequential', layers: [
        { type: 'Linear', inFeatures: 5, outFeatures: 4, bias: false },
        { type: 'Tanh' },
        { type: 'LayerNorm', normalizedShape: [4], eps: 1e-5, elementwiseAffine: false },
      ] },
      { type: 'ReLU' },
      { type: 'Identity' },
      { type: 'Linear', inFeatures: 4, outFeatures: 3, bias: true },
      { type: 'Sigmoid' },
      { type: 'Softmax', dim: -1 },
      { type: 'LogSoftmax', dim: 1 },
    ],
  });
  assert.deepEqual(describeModule(buildModule(spec)), spec);
  assert.deepEqual(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'x'), spec);
  assert.equal(formatArchitecture(spec), 'Linear(6, 5) → LeakyReLU(0.02) → LayerNorm(5) → Linear(5, 4, bias=false) → Tanh → LayerNorm(4) → ReLU → Identity → Linear(4, 3) → Sigmoid → Softmax(dim=-1) → LogSoftmax(dim=1)');
});

test('GELU, SiLU, ELU and Softplus are described, rebuilt, saved and loaded with their options', () => {
  const model = withGenerator(new Generator(8), () => new nn.Sequential(
    new nn.Linear(6, 5),
    new nn.GELU(),
    new nn.Linear(5, 5),
    new nn.GELU('tanh'),
    new nn.SiLU(),
    new nn.ELU(0.25),
    new nn.Sequential(new nn.Linear(5, 4), new nn.Softplus(2, 10)),
    new nn.Softplus(),
    new nn.Linear(4, 3),
    new nn.ELU(),
  ));
  const spec = describeModule(model);
  assert.deepEqual(spec, {
    type: 'Sequential',
    layers: [
      { type: 'Linear', inFeatures: 6, outFeatures: 5, bias: true },
      { type: 'GELU', approximate: 'none' },
      { type: 'Linear', inFeatures: 5, outFeatures: 5, bias: true },
      { type: 'GELU', approximate: 'tanh' },
      { type: 'SiLU' },
      { type: 'ELU', alpha: 0.25 },
      { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 5, outFeatures: 4, bias: true }, { type: 'Softplus', beta: 2, threshold: 10 }] },
      { type: 'Softplus', beta: 1, threshold: 20 },
      { type: 'Linear', inFeatures: 4, outFeatures: 3, bias: true },
      { type: 'ELU', alpha: 1 },
    ],
  });
  assert.deepEqual(describeModule(buildModule(spec)), spec);
  assert.deepEqual(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'x'), spec);
  assert.equal(formatArchitecture(spec), "Linear(6, 5) → GELU → Linear(5, 5) → GELU(approximate=tanh) → SiLU → ELU(0.25) → Linear(5, 4) → Softplus(2, 10) → Softplus(1, 20) → Linear(4, 3) → ELU(1)");
  assert.equal(String(buildModule(spec)), String(model));
  const path = join(tmp.dir, 'activations.safetensors');
  model.save(path);
  const back = nn.load(path);
  assert.equal(String(back), String(model));
  // Inputs large enough to reach the negative side of each activation and Softplus's linear part.
  const x = input(3, 4, 6).mul(4);
  assert.deepEqual(forward(back, x), forward(model, x));
  assert.ok(forward(model, x).some((v) => v < 0), 'the final ELU sees negative inputs');
});

test('save then load gives the same parameters, the same outputs, and the recorded info', () => {
  const model = zoo();
  // LayerNorm's affine parameters start at 1 and 0; give them other values so the test can see they travel.
  const ln = model.at(2) as nn.LayerNorm;
  ln.weight!.data.set([0.5, 1.5, -1, 2, 0.25]);
  ln.bias!.data.set([0.1, -0.2, 0.3, -0.4, 0.5]);
  const path = join(tmp.dir, 'zoo.safetensors');
  saveModel(model, path, { variant: 'zoo', seed: 5, epoch: 2, step: 40, accuracy: 0.875, config: { hidden: 5 } });
  const loaded = readModel(path);
  assert.equal(loaded.kind, 'model');
  assert.deepEqual(loaded.info, { variant: 'zoo', config: { hidden: 5 }, seed: 5, epoch: 2, step: 40, accuracy: 0.875 });
  const before = Object.fromEntries(model.namedParameters().map(([k, p]) => [k, Array.from(p.toArray())]));
  const after_ = Object.fromEntries(loaded.model.namedParameters().map(([k, p]) => [k, Array.from(p.toArray())]));
  assert.deepEqual(after_, before);
  const x = input(1, 3, 6);
  assert.deepEqual(forward(loaded.model, x), forward(model, x));
});

test("the file holds PyTorch's state_dict: its key names, [out, in] weights, row-major F32, and the architecture", () => {
  const model = withGenerator(new Generator(0), () => new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid(), new nn.LayerNorm(2), new nn.Linear(2, 4)));
  const path = join(tmp.dir, 'small.safetensors');
  model.save(path, { variant: 'small' });
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  assert.deepEqual(Object.keys(tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight', '3.bias', '3.weight']);
  const w = (model.at(0) as nn.Linear).weight;
  assert.deepEqual(tensors['0.weight']!.shape, [2, 3]);
  // Row-major [out, in]: element (i, j) at i * 3 + j, whatever the layout Kindling keeps in memory.
  assert.deepEqual(Array.from(tensors['0.weight']!.data), [0, 1].flatMap((i) => [0, 1, 2].map((j) => w.data[j * 2 + i]!)));
  assert.equal(metadata['format'], 'pt');
  assert.equal(metadata['kindling_format'], '1');
  assert.equal(metadata['kind'], 'model');
  assert.equal(metadata['variant'], 'small');
  assert.deepEqual(JSON.parse(metadata['architecture']!), describeModule(model));
  const back = nn.Module.load(path);
  const x = input(2, 4, 3);
  assert.deepEqual(forward(back, x), forward(model, x));
});

test('loading a model does not move the global random stream', () => {
  const path = join(tmp.dir, 'rng.safetensors');
  saveModel(zoo(), path);
  const probe = (): number[] => [0, 1, 2].map(() => getDefaultGenerator().nextUint32());
  const state = getDefaultGenerator().getState();
  const expected = probe();
  getDefaultGenerator().setState(state);
  loadModel(path);
  assert.deepEqual(probe(), expected);
});

test('info entries of the user\'s own (model.save(path, { note })) are kept as metadata strings and read back', () => {
  const model = withGenerator(new Generator(0), () => new nn.Sequential(new nn.Linear(2, 2)));
  const path = join(tmp.dir, 'noted.safetensors');
  model.save(path, { variant: 'v', note: 'hi', 'run by': 'me', skipped: undefined });
  // Under their own names, where any safetensors reader (Python's safe_open(...).metadata()) finds them.
  const { metadata } = loadFile(path);
  assert.equal(metadata['note'], 'hi');
  assert.equal(metadata['run by'], 'me');
  assert.equal(Object.hasOwn(metadata, 'skipped'), false);
  assert.deepEqual(readModel(path).info, { variant: 'v', note: 'hi', 'run by': 'me' });
});

test('an info entry that a metadata string cannot hold, or that takes a name Kindling writes, is refused; nothing is written', () => {
  const model = new nn.Sequential(new nn.Linear(2, 2));
  const path = join(tmp.dir, 'refused.safetensors');
  const refused = (info: unknown, type: new (...a: never[]) => Error, ...fragments: string[]): void => {
    assert.throws(() => model.save(path, info as Record<string, unknown>), (err: unknown) => {
      assert.ok(err instanceof type, `expected a ${type.name}, got ${String(err)}`);
      for (const f of fragments) assert.ok(err.message.includes(f), `message "${err.message}" should contain "${f}"`);
      return true;
    });
    assert.throws(() => readFileSync(path), /ENOENT/);
  };
  refused({ note: 5 }, ModelFileError, 'model info: "note" is not one of Kindling\'s fields', 'the number 5', 'pass a string, or put it under config');
  refused({ lr: 0.01, note: 'x' }, ModelFileError, '"lr"', 'the number 0.01');
  refused({ kind: 'mine' }, ModelFileError, 'model info: "kind" is a metadata entry Kindling writes itself', 'give your entry another name');
  refused({ optimizer: 'sgd' }, ModelFileError, '"optimizer" is a metadata entry Kindling writes itself');
  refused('hi', TypeError, 'model info must be an object', 'the string "hi"');
  // Kindling's own fields say what they must be, and show a string as a string.
  refused({ variant: 5 }, ModelFileError, 'model info: variant must be a string, got the number 5');
  refused({ label: ['a'] }, ModelFileError, 'model info: label must be a string');
  refused({ seed: '3' }, ModelFileError, 'model info: seed must be a finite number, got the string "3"');
  refused({ accuracy: Number.NaN }, ModelFileError, 'model info: accuracy must be a finite number, got the number NaN');
  refused({ accuracy: 97.3 }, ModelFileError, 'model info: accuracy must be a fraction from 0 to 1, got 97.3');
  refused({ epoch: 2.5 }, ModelFileError, 'model info: epoch must be a whole number 0 or more, got 2.5');
});

test('a module Kindling cannot describe is a clear error, and nothing is written', () => {
  class Twice extends nn.Module {
    forward(x: Tensor): Tensor {
      return x.mul(2);
    }
  }
  const path = join(tmp.dir, 'custom.safetensors');
  assert.throws(() => saveModel(new nn.Sequential(new nn.Linear(2, 2), new Twice()), path), (err: unknown) => {
    assert.ok(err instanceof ModelFileError);
    assert.match(err.message, /cannot describe model\[1\] \(Twice\)/);
    return true;
  });
  assert.throws(() => readFileSync(path), /ENOENT/);
  // The chapter's Classifier: a custom module holding its network as a Sequential. The error points to that part.
  class Classifier extends nn.Module {
    model = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid());
    lossFunction = new nn.MSELoss();
    forward(x: Tensor): Tensor {
      return this.model.forward(x);
    }
  }
  assert.throws(() => saveModel(new Classifier(), path), /cannot describe model \(Classifier\).*the Sequential it holds as "model" is one \(save that: model\.model\.save\(path\)\)/);
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('a subclass of a built-in layer is refused rather than saved as the plain layer', () => {
  const path = join(tmp.dir, 'subclass.safetensors');
  // Reloaded, these would be a plain Sequential (no residual) and a plain Linear (no ×10).
  class Residual extends nn.Sequential {
    override forward(x: Tensor): Tensor {
      return super.forward(x).add(x);
    }
  }
  class Scaled extends nn.Linear {
    override forward(x: Tensor): Tensor {
      return super.forward(x).mul(10);
    }
  }
  assert.throws(() => saveModel(new Residual(new nn.Linear(2, 2)), path), /cannot describe model \(Residual\): it is a subclass of nn\.Sequential, .*load as a plain Sequential/);
  assert.throws(() => saveModel(new nn.Sequential(new Scaled(2, 2)), path), /cannot describe model\[0\] \(Scaled\): it is a subclass of nn\.Linear/);
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('a BatchNorm counter a state dict or a weights file lacks counts 0, as PyTorch fills it in', () => {
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  model.train();
  model.forward(new Tensor(new Float32Array([1, 2, 3, 4, 5, 7]), [2, 3]));
  const counter = (): number => model.stateDict()['1.num_batches_tracked']!.item();
  assert.equal(counter(), 1);
  const { ['1.num_batches_tracked']: _n, ...without } = model.stateDict();
  assert.deepEqual(model.loadStateDict(without), { missingKeys: [], unexpectedKeys: [] });
  assert.equal(counter(), 0);
  model.forward(new Tensor(new Float32Array([1, 2, 3, 4, 5, 7]), [2, 3]));
  const path = join(tmp.dir, 'no-counter.safetensors');
  saveFile(path, Object.fromEntries(Object.entries(without).map(([k, t]) => [k, { shape: [...t.shape], data: t.toArray() }])), { format: 'pt' });
  assert.deepEqual(nn.loadWeights(model, path), { missingKeys: [], unexpectedKeys: [] });
  assert.equal(counter(), 0);
  // Any other key is still missing.
  const { ['1.running_mean']: _m, ...noMean } = without;
  assert.throws(() => model.loadStateDict(noMean), /Missing key\(s\) in state_dict: "1\.running_mean"/);
});

test('loadWeights reads a weights-only file (as PyTorch tools write) into a model built in code', () => {
  const source = withGenerator(new Generator(3), () => new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2)));
  const path = join(tmp.dir, 'weights-only.safetensors');
  saveFile(path, Object.fromEntries(source.namedParameters().map(([k, p]) => [k, { shape: [...p.shape], data: p.toArray() }])), { format: 'pt' });
  const target = new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2));
  loadWeights(target, path);
  const x = input(4, 2, 4);
  assert.deepEqual(forward(target, x), forward(source, x));
  // Without an architecture the file cannot rebuild a model by itself; the error says what to do instead.
  assert.throws(() => loadModel(path), /no "architecture" entry in its metadata.*saveFile\(path, model\.stateDict\(\)\).*load the weights with nn\.loadWeights\(model, path\); model\.save\(path\) writes a file that can be rebuilt/s);
});

test('loadWeights checks every shape before copying: on error the model is unchanged', () => {
  const path = join(tmp.dir, 'weights-wide.safetensors');
  saveModel(new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 5)), path);
  const target = withGenerator(new Generator(9), () => new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid(), new nn.Linear(3, 2)));
  const before = target.parameters().map((p) => Array.from(p.toArray()));
  assert.throws(() => loadWeights(target, path), /tensor "2\.weight" has shape \[5, 3\] in the file, but the model's "2\.weight" has shape \[2, 3\]/);
  assert.deepEqual(target.parameters().map((p) => Array.from(p.toArray())), before);
  assert.equal(loadFile(path).tensors['2.weight']!.shape[0], 5, 'the file is untouched too');
});

test('parseArchitecture names the layer and field of every problem', () => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /architecture must be an object/],
    [{ type: 'FractionalMaxPool2d' }, /unknown layer type "FractionalMaxPool2d"/],
    [{ type: 'Sequential', layers: [{ type: 'Linear', inFeatures: -3, outFeatures: 2, bias: true }] }, /architecture\.layers\[0\] \(Linear\): "inFeatures" must be a positive integer, got -3/],
    [{ type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 3, outFeatures: 2 }] }, /"bias" must be true or false, got nothing/],
    [{ type: 'Sigmoid', slope: 2 }, /\(Sigmoid\) has unknown field "slope"/],
    [{ type: 'LayerNorm', normalizedShape: [], eps: 1e-5, elementwiseAffine: true }, /"normalizedShape" must be a non-empty array of positive integers/],
    [{ type: 'LeakyReLU', negativeSlope: 'x' }, /"negativeSlope" must be a finite number/],
    [{ type: 'GELU', approximate: 'exact' }, /\(GELU\): "approximate" must be "none" or "tanh", got "exact"/],
    [{ type: 'GELU' }, /\(GELU\): "approximate" must be "none" or "tanh", got nothing/],
    [{ type: 'ELU', alpha: null }, /\(ELU\): "alpha" must be a finite number, got null/],
    [{ type: 'Softplus', beta: 0, threshold: 20 }, /\(Softplus\): "beta" must be a finite number other than 0, got 0/],
    [{ type: 'Softplus', beta: 1 }, /\(Softplus\): "threshold" must be a finite number, got nothing/],
    [{ type: 'SiLU', inplace: 'yes' }, /\(SiLU\): "inplace" must be true or false, got "yes"/],
    [{ type: 'Sigmoid', inplace: true }, /\(Sigmoid\) has unknown field "inplace"/],
    [{ type: 'Sequential', layers: 'Linear' }, /"layers" must be an array of layers/],
  ];
  for (const [json, pattern] of cases) {
    assert.throws(() => parseArchitecture(json, 'm.safetensors'), (err: unknown) => {
      assert.ok(err instanceof ModelFileError, String(err));
      assert.match(err.message, /^m\.safetensors: /);
      assert.match(err.message, pattern);
      return true;
    });
  }
  let deep: unknown = { type: 'Sigmoid' };
  for (let i = 0; i < 40; i++) deep = { type: 'Sequential', layers: [deep] };
  assert.throws(() => parseArchitecture(deep, 'deep'), /nested deeper than 16 levels/);
});

test('saving holds a model to the limits loading holds a file to: the largest one allowed loads, one past either is refused unwritten', () => {
  const many = (n: number): nn.Sequential => new nn.Sequential(...Array.from({ length: n }, () => new nn.ReLU()));
  const deep = (levels: number): nn.Module => {
    let m: nn.Module = new nn.Linear(2, 2);
    for (let i = 0; i < levels; i++) m = new nn.Sequential(m);
    return m;
  };
  // 9,999 ReLUs and their Sequential are 10,000 layers; 16 Sequentials around a Linear put it 16 levels deep.
  for (const [model, name] of [[many(9_999), 'wide'], [deep(16), 'deep']] as const) {
    const path = join(tmp.dir, `${name}-ok.safetensors`);
    saveModel(model, path);
    assert.equal(String(loadModel(path)), String(model));
  }
  const refused: Array<[nn.Module, string, RegExp]> = [
    [many(10_000), 'wide', /cannot save model in a model file: it has 10,001 layers \(each Sequential counted as one\), more than the 10,000 a model file may describe/],
    [deep(17), 'deep', /cannot save model in a model file: its Sequentials are nested 17 levels deep, deeper than the 16 a model file allows/],
  ];
  for (const [model, name, pattern] of refused) {
    const path = join(tmp.dir, `${name}-refused.safetensors`);
    assert.throws(() => saveModel(model, path), (err: unknown) => err instanceof ModelFileError && pattern.test(err.message));
    assert.equal(existsSync(path), false);
    // A copy in memory, which no file limits (SWA's averaged model is one), is made as before.
    assert.equal(String(new AveragedModel(model).module), String(model));
  }
});

test('layers with inplace: true are saved with the flag and load with it; without it the architecture is as before', () => {
  const path = join(tmp.dir, 'inplace.safetensors');
  const model = new nn.Sequential(
    new nn.Linear(4, 6), new nn.Dropout(0.2, true), new nn.ReLU(true), new nn.Linear(6, 5), new nn.LeakyReLU(0.1, true),
    new nn.ELU(0.5, true), new nn.SiLU(true), new nn.Linear(5, 2), new nn.ReLU(),
  );
  saveModel(model, path);
  const arch = JSON.parse(loadFile(path).metadata['architecture']!) as { layers: Array<Record<string, unknown>> };
  assert.deepEqual(arch.layers.map((l) => l['inplace']), [undefined, true, true, undefined, true, true, true, undefined, undefined]);
  const loaded = loadModel(path);
  assert.equal(String(loaded), String(model));
  assert.match(String(loaded), /ReLU\(inplace=True\)[\s\S]*LeakyReLU\(negative_slope=0\.1, inplace=True\)/);
  loaded.eval();
  model.eval();
  const x = input(4, 3, 4);
  assert.deepEqual(forward(loaded, x), forward(model, x));
});
