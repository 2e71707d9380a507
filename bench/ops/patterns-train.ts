// The ops bench's training loops, written as a user writes them by hand: models of nn layers (or bare tensors) on
// MNIST, one image or 64 per step. Each model is built right after manualSeed(0), so it starts with PyTorch's weights.
import { F, manualSeed, nn, noGrad, optim, randn, zeros, type Tensor } from '../../src/index.js';
import { oneHotBatch, test, train, trainNormalised, xBatch, xOne, yBatch, yOne, type Split } from './data.js';
import { BATCH_PLAN, ONE_IMAGE_PLAN, type OpsPattern, type Plan, type Step } from './harness.js';

interface Loss {
  forward(input: Tensor, target: Tensor): Tensor;
}

/** Linear(784, 200), an activation, Linear(200, 10), seeded. */
function mlp(act: () => nn.Module = () => new nn.ReLU()): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(784, 200), act(), new nn.Linear(200, 10));
}

/** The book's loop: forward, loss, zero_grad, backward, step; the step's result is its loss. */
function loop(model: nn.Module, opt: optim.Optimizer, lossFn: Loss, x: (i: number) => Tensor, y: (i: number) => Tensor): Step {
  return (i) => {
    const loss = lossFn.forward(model.forward(x(i)), y(i));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  };
}

const sgd = (m: nn.Module): optim.Optimizer => new optim.SGD(m.parameters(), 0.01);
const adam = (m: nn.Module): optim.Optimizer => new optim.Adam(m.parameters(), { lr: 0.001 });
const batchOf = (s: () => Split) => (i: number): Tensor => xBatch(s(), i);
const labelsOf = (i: number): Tensor => yBatch(train(), i);

function training(name: string, description: string, plan: Plan, setup: () => Step): OpsPattern {
  return { name, description, plan, check: 'loss', setup };
}

/** p3: the MLP as bare tensors, updated by hand under noGrad; `alpha` writes p.sub_(p.grad, alpha=lr), `mul` p.sub_(p.grad.mul(lr)). */
function manual(form: 'alpha' | 'mul'): Step {
  manualSeed(0);
  const w1 = randn([784, 200]).mul(0.01).requiresGrad_();
  const b1 = zeros(200, { requiresGrad: true });
  const w2 = randn([200, 10]).mul(0.01).requiresGrad_();
  const b2 = zeros(10, { requiresGrad: true });
  const params = [w1, b1, w2, b2];
  const lr = 0.01;
  return (i) => {
    const out = xBatch(train(), i).matmul(w1).add(b1).relu().matmul(w2).add(b2);
    const loss = F.crossEntropyLoss(out, labelsOf(i));
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        const g = p.grad!;
        if (form === 'alpha') p.sub_(g, lr);
        else p.sub_(g.mul(lr));
        g.zero_();
      }
    });
    return loss;
  };
}

/**
 * p7: the MLP trained 100 minibatches, then one step = classifying the 10,000 test images in batches of 1,000 (views
 * of the test set loaded once, `x[b * 1000:(b + 1) * 1000]`); the result is the accuracy.
 */
function evaluation(): Step {
  const te = test();
  const m = mlp();
  const opt = sgd(m);
  const lossFn = new nn.CrossEntropyLoss();
  const fit = loop(m, opt, lossFn, batchOf(train), labelsOf);
  for (let i = 0; i < 100; i++) fit(i);
  m.eval();
  return () => noGrad(() => {
    let correct = 0;
    for (let b = 0; b < 10; b++) {
      const x = te.images.narrow(0, b * 1000, 1000);
      const y = te.labels.narrow(0, b * 1000, 1000);
      correct += m.forward(x).softmax(1).argmax(1).eq(y).sum().item();
    }
    return correct / te.count;
  });
}

/** p12: the README's kind of CNN, two 5×5 convolutions (16 and 32 channels) with ReLU and 2×2 max pooling, then Linear. */
function cnn(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(
    new nn.Unflatten(1, [1, 28, 28]),
    new nn.Conv2d(1, 16, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10),
  );
}

export const TRAIN_PATTERNS: readonly OpsPattern[] = [
  training('p1_sgd_1', '784-200-10 Linear-ReLU-Linear, CrossEntropyLoss, SGD(lr=0.01), 1 image a step', ONE_IMAGE_PLAN, () => {
    const m = mlp();
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), (i) => xOne(train(), i), (i) => yOne(train(), i));
  }),
  training('p1_sgd_64', 'Linear-ReLU-Linear, CrossEntropyLoss, SGD(lr=0.01), batches of 64', BATCH_PLAN, () => {
    const m = mlp();
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), batchOf(train), labelsOf);
  }),
  training('p2_sgd_64_norm', 'p1_sgd_64 on images normalised, (x - 0.1307) / 0.3081', BATCH_PLAN, () => {
    const m = mlp();
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), batchOf(trainNormalised), labelsOf);
  }),
  training('p3_manual_64_alpha', 'the MLP as bare tensors, F.cross_entropy, p.sub_(p.grad, alpha=lr)', BATCH_PLAN, () => manual('alpha')),
  training('p3_manual_64_mul', 'the MLP as bare tensors, F.cross_entropy, p.sub_(p.grad.mul(lr))', BATCH_PLAN, () => manual('mul')),
  training('p4_adam_64', 'Linear-ReLU-Linear, CrossEntropyLoss, Adam(lr=0.001), batches of 64', BATCH_PLAN, () => {
    const m = mlp();
    return loop(m, adam(m), new nn.CrossEntropyLoss(), batchOf(train), labelsOf);
  }),
  training('p5_deep_dropout_adam_64', '784-512-256-10 with ReLU and Dropout(0.2) twice, Adam, batches of 64', { warm: 100, steps: 150, blocks: 5 }, () => {
    manualSeed(0);
    const m = new nn.Sequential(
      new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.2),
      new nn.Linear(512, 256), new nn.ReLU(), new nn.Dropout(0.2),
      new nn.Linear(256, 10),
    );
    m.train();
    return loop(m, adam(m), new nn.CrossEntropyLoss(), batchOf(train), labelsOf);
  }),
  training('p6_logsoftmax_nll_64', 'Linear-ReLU-Linear-LogSoftmax(1), NLLLoss, SGD, batches of 64', BATCH_PLAN, () => {
    manualSeed(0);
    const m = new nn.Sequential(new nn.Linear(784, 200), new nn.ReLU(), new nn.Linear(200, 10), new nn.LogSoftmax(1));
    return loop(m, sgd(m), new nn.NLLLoss(), batchOf(train), labelsOf);
  }),
  {
    name: 'p7_eval_test_1000',
    description: 'no_grad: softmax(1).argmax(1) of all 10,000 test images, by 1000',
    plan: { warm: 3, steps: 4, blocks: 5 },
    check: 'value',
    setup: evaluation,
  },
  training('p8_tanh_1', 'Linear-Tanh-Linear, CrossEntropyLoss, SGD, 1 image a step', ONE_IMAGE_PLAN, () => {
    const m = mlp(() => new nn.Tanh());
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), (i) => xOne(train(), i), (i) => yOne(train(), i));
  }),
  training('p8_tanh_64', 'Linear-Tanh-Linear, CrossEntropyLoss, SGD, batches of 64', BATCH_PLAN, () => {
    const m = mlp(() => new nn.Tanh());
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), batchOf(train), labelsOf);
  }),
  training('p9_bcelogits_64', 'Linear-ReLU-Linear, BCEWithLogitsLoss on one-hot targets, SGD, by 64', BATCH_PLAN, () => {
    const m = mlp();
    return loop(m, sgd(m), new nn.BCEWithLogitsLoss(), batchOf(train), (i) => oneHotBatch(train(), i));
  }),
  training('p12_cnn_64', 'Conv2d(1, 16, 5, padding=2)-ReLU-MaxPool2d(2)-Conv2d(16, 32, 5, padding=2)-ReLU-MaxPool2d(2)-Linear, SGD, by 64', { warm: 10, steps: 20, blocks: 5 }, () => {
    const m = cnn();
    return loop(m, sgd(m), new nn.CrossEntropyLoss(), batchOf(trainNormalised), labelsOf);
  }),
];
