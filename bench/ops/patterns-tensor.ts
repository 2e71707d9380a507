// The ops bench's tensor operations, each on its own: 512 × 512 tensors (262,144 values) drawn by randn after
// manualSeed(1), the same values as PyTorch's, and a 1000 × 10 one for argmax (a batch of class scores).
import { cat, manualSeed, randn, type Tensor } from '../../src/index.js';
import { TENSOR_PLAN, type OpsPattern, type Step } from './harness.js';

const R = 512;
const C = 512;

/** a, b, c: three 512 × 512 randn tensors after manualSeed(1). */
function abc(): [Tensor, Tensor, Tensor] {
  manualSeed(1);
  return [randn([R, C]), randn([R, C]), randn([R, C])];
}

/** A pattern whose step is `op` on a, b, c, with no state kept between steps. */
function op(name: string, description: string, f: (a: Tensor, b: Tensor, c: Tensor) => unknown): OpsPattern {
  return { name, description, plan: TENSOR_PLAN, check: 'sumsq', setup: () => { const [a, b, c] = abc(); return () => f(a, b, c); } };
}

/** A pattern that backpropagates from `f(x)` to x (a, made to require grad) each step: x.grad is zeroed first, and is the result. */
function grad(name: string, description: string, f: (x: Tensor) => Tensor): OpsPattern {
  return {
    name, description, plan: TENSOR_PLAN, check: 'sumsq',
    setup: (): Step => {
      const x = abc()[0].requiresGrad_();
      return () => {
        x.grad?.zero_();
        f(x).backward();
        return x.grad;
      };
    },
  };
}

export const TENSOR_PATTERNS: readonly OpsPattern[] = [
  op('p10_chain_sigmoid', '(a * b + c).sigmoid()', (a, b, c) => a.mul(b).add(c).sigmoid()),
  {
    name: 'p10_chain_grad', description: '(a * b + c).sigmoid().sum().backward(), a and b require grad', plan: { warm: 30, steps: 60, blocks: 5 }, check: 'sumsq',
    setup: (): Step => {
      const [a, b, c] = abc();
      a.requiresGrad_();
      b.requiresGrad_();
      return () => {
        a.grad?.zero_();
        b.grad?.zero_();
        a.mul(b).add(c).sigmoid().sum().backward();
        return a.grad;
      };
    },
  },
  op('p10_view_add', 'a.view(1024, 256).add(1)', (a) => a.view([R * 2, C / 2]).add(1)),
  op('p10_reshape_t_mul', 'a.transpose(0, 1).reshape(262144).mul(2)', (a) => a.transpose(0, 1).reshape([R * C]).mul(2)),
  op('p10_cat0', 'torch.cat([a, b], 0)', (a, b) => cat([a, b], 0)),
  op('p10_cat1', 'torch.cat([a, b], 1)', (a, b) => cat([a, b], 1)),
  op('p10_sum_dim1', 'a.sum(1)', (a) => a.sum(1)),
  op('p10_sum_dim0', 'a.sum(0)', (a) => a.sum(0)),
  op('p10_mean', 'a.mean()', (a) => a.mean()),
  op('p10_max_dim1', 'a.max(1) (values and indices)', (a) => a.max(1)),
  op('p10_softmax1', 'a.softmax(1)', (a) => a.softmax(1)),
  op('p10_matmul', 'a.narrow(0, 0, 64).matmul(b): [64, 512] @ [512, 512]', (a, b) => a.narrow(0, 0, 64).matmul(b)),
  op('p10_tanh', 'a.tanh()', (a) => a.tanh()),
  op('p10_exp', 'a.exp()', (a) => a.exp()),
  grad('p11_logsoftmax_backward', 'x.log_softmax(1).sum().backward(), x requires grad', (x) => x.logSoftmax(1).sum()),
  grad('p11_sum_backward', 'x.sum().backward(), x requires grad', (x) => x.sum()),
  grad('p11_mean_backward', 'x.mean().backward(), x requires grad', (x) => x.mean()),
  {
    name: 'p11_expand_contiguous', description: 'col.expand(512, 512).contiguous(), col [512, 1]', plan: TENSOR_PLAN, check: 'sumsq',
    setup: () => {
      manualSeed(1);
      const col = randn([R, 1]);
      return () => col.expand(R, C).contiguous();
    },
  },
  op('p11_sum', 'a.sum()', (a) => a.sum()),
  op('p11_min_dim0', 'a.min(0) (values and indices)', (a) => a.min(0)),
  {
    name: 'p11_argmax_1000x10', description: 'x.argmax(1), x [1000, 10]', plan: TENSOR_PLAN, check: 'sumsq',
    setup: () => {
      manualSeed(1);
      const x = randn([1000, 10]);
      return () => x.argmax(1);
    },
  },
];
