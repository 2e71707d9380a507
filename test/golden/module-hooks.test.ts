// Full backward hooks (registerFullBackwardHook) beyond one tensor in and one out, against PyTorch 1.13
// (fixtures/torch/module-hooks.json, from make_module_hooks.py): gradInput has one entry per argument of forward,
// gradOutput one per output (an array, PyTorch's tuple), the hooks run with no input requiring grad, and a call runs
// the hooks registered when its forward ran.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Grads = (EncodedTensor | null)[];
interface Seen { gradInput: Grads; gradOutput: Grads }
const fx = loadFixture<{
  perArgument: Seen & Record<'a' | 'b' | 'c' | 'aGrad' | 'bGrad', EncodedTensor>;
  returns: { nullFirstXGrad: EncodedTensor; productAGrad: EncodedTensor; productBGradNone: boolean; wrongCount: { message: string } };
  tuples: Record<'first' | 'firstAndThird', Seen & { xGrad: EncodedTensor }>;
  lstm: Seen & { weights: Record<string, EncodedTensor>; x: EncodedTensor; upstream: EncodedTensor; xGrad: EncodedTensor; hOnlyCalled: boolean; hOnlyXGrad: EncodedTensor };
  noInput: Seen & { weights: Record<string, EncodedTensor>; weightGrad: EncodedTensor };
  snapshot: { firstBackward: string[]; afterSecondForward: string[] };
}>('module-hooks.json');
const tol = { rtol: 1e-5, atol: 1e-6 };

/** What a hook saw, cloned (null kept), to compare after backward. */
const keep = (gs: readonly (Tensor | null)[]): (Tensor | null)[] => gs.map((g) => (g === null ? null : g.clone()));

function assertGrads(got: readonly (Tensor | null)[] | undefined, want: Grads, label: string): void {
  assert.ok(got !== undefined, `${label}: the hook did not run`);
  assert.equal(got.length, want.length, `${label}: one entry per argument (or output)`);
  want.forEach((w, i) => {
    if (w === null) assert.equal(got[i], null, `${label}[${i}] is null`);
    else assertTensorClose(got[i]!, w, `${label}[${i}]`, tol);
  });
}

test('gradInput has one entry per argument of forward: null for a number, zeros for a tensor that got no gradient or needs none, as PyTorch\'s', () => {
  class PerArgument extends nn.Module {
    forward(a: Tensor, k: number, _b: Tensor, c: Tensor): Tensor {
      return a.mul(k).add(c.mul(a));
    }
  }
  const p = fx.perArgument;
  const m = new PerArgument();
  let gi: (Tensor | null)[] | undefined;
  let go: (Tensor | null)[] | undefined;
  m.registerFullBackwardHook((_m, gradInput, gradOutput) => {
    gi = keep(gradInput);
    go = keep(gradOutput);
  });
  const a = decode(p.a, true);
  const b = decode(p.b, true);
  m.forward(a, 3, b, decode(p.c)).sum().backward();
  assertGrads(gi, p.gradInput, 'gradInput');
  assertGrads(go, p.gradOutput, 'gradOutput');
  assertTensorClose(a.grad, p.aGrad, 'a.grad', tol);
  assertTensorClose(b.grad, p.bGrad, 'b.grad (zeros: the node hands its input zeros)', tol);
});

test('a hook returns one gradient per argument: [null, g * 2] for forward(k, x), one of two gradients, and too few refused in PyTorch\'s words', () => {
  class Scale extends nn.Module {
    forward(k: Tensor | number, x: Tensor): Tensor {
      return x.mul(k);
    }
  }
  class Product extends nn.Module {
    forward(a: Tensor, b: Tensor): Tensor {
      return a.mul(b);
    }
  }
  const r = fx.returns;
  const scale = new Scale();
  scale.registerFullBackwardHook((_m, gi) => [null, gi[1]!.mul(2)]);
  const x = decode(fx.perArgument.a, true);
  scale.forward(3, x).sum().backward();
  assertTensorClose(x.grad, r.nullFirstXGrad, 'x.grad', tol);
  const product = new Product();
  product.registerFullBackwardHook((_m, gi) => [gi[0]!.mul(10), null]);
  const a = decode(fx.perArgument.a, true);
  const b = decode(fx.perArgument.b, true);
  product.forward(a, b).sum().backward();
  assertTensorClose(a.grad, r.productAGrad, 'a.grad', tol);
  assert.equal(b.grad === null, r.productBGradNone, 'b gets no gradient');
  const short = new Scale();
  short.registerFullBackwardHook((_m, gi) => [gi[1]!]);
  assert.throws(() => short.forward(3, decode(fx.perArgument.a, true)).sum().backward(), (e: Error) => e instanceof RangeError && e.message.includes(r.wrongCount.message));
});

test('an output array is PyTorch\'s tuple: gradOutput null for a number, a tensor that needs no gradient and an output that got none', () => {
  class Tuple extends nn.Module {
    forward(x: Tensor, w: Tensor): Tensor {
      return [x.mul(2), 5, x.mul(w), x.detach()] as unknown as Tensor;
    }
  }
  for (const [name, want] of Object.entries(fx.tuples)) {
    const t = new Tuple();
    let gi: (Tensor | null)[] | undefined;
    let go: (Tensor | null)[] | undefined;
    t.registerFullBackwardHook((_m, gradInput, gradOutput) => {
      gi = keep(gradInput);
      go = keep(gradOutput);
    });
    const x = decode(fx.perArgument.a, true);
    const o = t.forward(x, decode(fx.perArgument.b)) as unknown as [Tensor, number, Tensor, Tensor];
    const loss = name === 'first' ? o[0].sum() : o[0].sum().add(o[2].mul(decode(fx.perArgument.c)).sum());
    loss.backward();
    assertGrads(gi, want.gradInput, `${name}: gradInput`);
    assertGrads(go, want.gradOutput, `${name}: gradOutput`);
    assertTensorClose(x.grad, want.xGrad, `${name}: x.grad`, tol);
  }
});

test('an LSTM takes full backward hooks: its output is hooked, [h, c] inside the array is not (a backward through h alone runs none), as PyTorch\'s', () => {
  const l = fx.lstm;
  const lstm = new nn.LSTM(2, 3);
  lstm.loadStateDict(Object.fromEntries(Object.entries(l.weights).map(([k, v]) => [k, decode(v)])));
  let gi: (Tensor | null)[] | undefined;
  let go: (Tensor | null)[] | undefined;
  lstm.registerFullBackwardHook((_m, gradInput, gradOutput) => {
    gi = keep(gradInput);
    go = keep(gradOutput);
    return [gradInput[0]!.mul(2)];
  });
  const x = decode(l.x, true);
  const [out] = lstm.forward(x);
  out.mul(decode(l.upstream)).sum().backward();
  assertGrads(gi, l.gradInput, 'gradInput');
  assertGrads(go, l.gradOutput, 'gradOutput');
  assertTensorClose(x.grad, l.xGrad, 'x.grad (doubled by the hook)', tol);
  let called = false;
  const again = new nn.LSTM(2, 3);
  again.loadStateDict(Object.fromEntries(Object.entries(l.weights).map(([k, v]) => [k, decode(v)])));
  again.registerFullBackwardHook(() => {
    called = true;
  });
  const xh = decode(l.x, true);
  const [, [h]] = again.forward(xh);
  h.sum().backward();
  assert.equal(called, l.hOnlyCalled);
  assertTensorClose(xh.grad, l.hOnlyXGrad, 'x.grad through h alone', tol);
});

test('with no input requiring grad, the hooks run when the outputs\' gradients are known: gradInput all null', () => {
  class Pair extends nn.Module {
    l = new nn.Linear(3, 2);
    forward(x: Tensor, y: Tensor): Tensor {
      return [this.l.forward(x), this.l.forward(y)] as unknown as Tensor;
    }
  }
  const n = fx.noInput;
  const pair = new Pair();
  pair.loadStateDict(Object.fromEntries(Object.entries(n.weights).map(([k, v]) => [k, decode(v)])));
  let gi: (Tensor | null)[] | undefined;
  let go: (Tensor | null)[] | undefined;
  pair.registerFullBackwardHook((_m, gradInput, gradOutput) => {
    gi = keep(gradInput);
    go = keep(gradOutput);
  });
  const [first] = pair.forward(decode(fx.perArgument.a), decode(fx.perArgument.b)) as unknown as [Tensor, Tensor];
  first.mul(3).sum().backward();
  assertGrads(gi, n.gradInput, 'gradInput');
  assertGrads(go, n.gradOutput, 'gradOutput');
  assertTensorClose(pair.l.weight.grad, n.weightGrad, 'l.weight.grad', tol);
});

test('a call runs the hooks registered when its forward ran: one removed after the forward still runs, one added after it does not (PyTorch 1.13)', () => {
  const lin = new nn.Linear(2, 2);
  const log: string[] = [];
  const handle = lin.registerFullBackwardHook(() => {
    log.push('removed after forward');
  });
  const y = lin.forward(ones([1, 2], { requiresGrad: true }));
  handle.remove();
  lin.registerFullBackwardHook(() => {
    log.push('added after forward');
  });
  y.sum().backward();
  assert.deepEqual(log, fx.snapshot.firstBackward);
  lin.forward(ones([1, 2], { requiresGrad: true })).sum().backward();
  assert.deepEqual(log.slice(1), fx.snapshot.afterSecondForward);
});
