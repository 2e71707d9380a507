// autograd.Function (custom ops with a hand-written backward) against PyTorch 1.13's torch.autograd.Function
// (fixtures/torch/custom-function.json, from make_custom_function.py): the same subclasses written in TypeScript give
// PyTorch's values, gradients, node names and needsInputGrad; a gradient that broadcasts is summed back; several
// outputs reach one backward call (zeros, or null without materialized grads, for an unused one); a non-differentiable
// output; a second walk; autograd.grad through one; and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, cat, noGrad, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  exp: { x: E; upstream: E; y: E; grad: E; name: string; repr: string; twice: E };
  muladd: { a: E; w: E; b: E; out: E; upstream: E; gradA: E; gradB: E; needs: boolean[]; wRequiresGrad: boolean };
  split: { x: E; materialize: { grad: E; seen: boolean[] }; none: { grad: E; seen: boolean[] }; both: E };
  sort: { x: E; values: E; indices: E; indicesRequireGrad: boolean; upstream: E; grad: E };
  viaGrad: { x: E; grad: E };
  refusals: Record<string, { type: string; message: string }>;
}>('custom-function.json');

const { Function, FunctionCtx } = autograd;
type Ctx = InstanceType<typeof FunctionCtx>;
const EXACT = { rtol: 0, atol: 0 };
/** Kindling's exp and PyTorch's may differ in the last bit. */
const ULP = { rtol: 3e-7, atol: 0 };

class Exp extends Function {
  static override forward(ctx: Ctx, x: Tensor): Tensor {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }

  static override backward(ctx: Ctx, g: Tensor): Tensor {
    const [y] = ctx.savedTensors;
    return g.mul(y!);
  }
}

const needsSeen: boolean[][] = [];
class MulAdd extends Function {
  static override forward(ctx: Ctx, x: Tensor, w: Tensor, alpha: number, b: Tensor): Tensor {
    ctx.saveForBackward(x, w);
    ctx.alpha = alpha;
    needsSeen.push([...ctx.needsInputGrad]);
    return x.mul(w).mul(alpha).add(b);
  }

  static override backward(ctx: Ctx, g: Tensor): (Tensor | null)[] {
    const [x, w] = ctx.savedTensors;
    const alpha = ctx.alpha as number;
    return [g.mul(w!).mul(alpha), g.mul(x!).mul(alpha), null, g];
  }
}

let seen: boolean[][] = [];
let materialize = true;
class Split extends Function {
  static override forward(ctx: Ctx, x: Tensor, k: number): Tensor[] {
    ctx.k = k;
    ctx.saveForBackward(x);
    ctx.setMaterializeGrads(materialize);
    return [x.mul(k), x.mul(x)];
  }

  static override backward(ctx: Ctx, ga: Tensor | null, gb: Tensor | null): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    seen.push([ga === null, gb === null]);
    let out = x!.mul(0);
    if (ga !== null) out = out.add(ga.mul(ctx.k as number));
    if (gb !== null) out = out.add(gb.mul(2).mul(x!));
    return [out, null];
  }
}

class SortValues extends Function {
  static override forward(ctx: Ctx, x: Tensor): Tensor[] {
    const { values, indices } = x.sort();
    ctx.markNonDifferentiable(indices);
    ctx.saveForBackward(indices);
    return [values, indices];
  }

  static override backward(ctx: Ctx, gv: Tensor): Tensor {
    const [i] = ctx.savedTensors;
    return gv.mul(0).scatter(0, i!, gv);
  }
}

class WrongCount extends Function {
  static override forward(_ctx: Ctx, x: Tensor, y: Tensor): Tensor {
    return x.mul(y);
  }

  static override backward(_ctx: Ctx, g: Tensor): Tensor {
    return g;
  }
}

class WrongShape extends Function {
  static override forward(_ctx: Ctx, x: Tensor): Tensor {
    return x.mul(2);
  }

  static override backward(): Tensor {
    return tensor([1, 1, 1, 1, 1]);
  }
}

class GradForNumber extends Function {
  static override forward(_ctx: Ctx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }

  static override backward(_ctx: Ctx, g: Tensor): Tensor[] {
    return [g, g];
  }
}

test('a custom function with a saved output: PyTorch\'s values, gradient, node name; a second walk with retainGraph', () => {
  const e = fx.exp;
  const x = decode(e.x, true);
  const y = Exp.apply(x);
  assertTensorClose(y, e.y, 'y', ULP);
  assert.equal(y.gradFn?.torchName, e.name);
  assert.ok(e.repr.endsWith(e.name));
  assert.match(y.toString(), new RegExp(`grad_fn=<${e.name}>`));
  y.backward(decode(e.upstream), { retainGraph: true });
  assertTensorClose(x.grad, e.grad, 'grad', ULP);
  y.backward(decode(e.upstream));
  assertTensorClose(x.grad, e.twice, 'grad after a second walk', ULP);
});

test('tensor and number arguments, needsInputGrad, and a gradient summed back to a broadcast input\'s shape', () => {
  const m = fx.muladd;
  const a = decode(m.a, true);
  const w = decode(m.w);
  const b = decode(m.b, true);
  const out = MulAdd.apply(a, w, 0.5, b);
  assertTensorClose(out, m.out, 'out', EXACT);
  assert.deepEqual(needsSeen[0], m.needs);
  out.backward(decode(m.upstream));
  assertTensorClose(a.grad, m.gradA, 'grad a', EXACT);
  assertTensorClose(b.grad, m.gradB, 'grad b (summed over the broadcast rows)', { rtol: 1e-6, atol: 1e-7 });
  assert.equal(w.requiresGrad, m.wRequiresGrad);
  assert.equal(w.grad, null);
});

test('two outputs, one backward call: zeros for the unused output, or null without materialized grads', () => {
  const s = fx.split;
  const x = decode(s.x, true);
  for (const [key, mat] of [['materialize', true], ['none', false]] as const) {
    materialize = mat;
    seen = [];
    x.grad = null;
    const [, q] = Split.apply(x, 3);
    q!.sum().backward();
    assert.deepEqual(seen, [s[key].seen], `${key}: which gradients backward got`);
    assertTensorClose(x.grad, s[key].grad, key, EXACT);
  }
  materialize = true;
  seen = [];
  x.grad = null;
  const [p, q] = Split.apply(x, 3);
  p!.mul(q!).sum().backward();
  assert.equal(seen.length, 1, 'backward runs once for both outputs');
  assertTensorClose(x.grad, s.both, 'both outputs used', { rtol: 1e-6, atol: 1e-7 });
  assert.equal(p!.gradFn?.torchName, 'SplitBackward');
});

test('a non-differentiable output does not require grad; autograd.grad goes through a custom function', () => {
  const s = fx.sort;
  const x = decode(s.x, true);
  const [values, indices] = SortValues.apply(x);
  assertTensorClose(values!, s.values, 'values', EXACT);
  assertTensorClose(indices!, s.indices, 'indices', EXACT);
  assert.equal(indices!.requiresGrad, s.indicesRequireGrad);
  values!.backward(decode(s.upstream));
  assertTensorClose(x.grad, s.grad, 'grad', EXACT);

  const g = decode(fx.viaGrad.x, true);
  const [viaGrad] = autograd.grad(Exp.apply(g).mul(g).sum(), [g]);
  assertTensorClose(viaGrad!, fx.viaGrad.grad, 'autograd.grad', { rtol: 1e-6, atol: 1e-7 });
  assert.equal(g.grad, null);
});

test('without a tensor that requires grad, or inside noGrad, apply records nothing', () => {
  const y = Exp.apply(tensor([1, 2]));
  assert.equal(y.requiresGrad, false);
  const x = tensor([1, 2], { requiresGrad: true });
  const z = noGrad(() => Exp.apply(x));
  assert.equal(z.requiresGrad, false);
  assert.equal(z.gradFn, null);
});

/** Asserts that PyTorch's refusal and Kindling's error both say `phrase`. */
function refusedAlike(key: string, fn: () => unknown, phrase: RegExp): void {
  assert.match(fx.refusals[key]!.message, phrase, `PyTorch's ${key}`);
  assert.throws(fn, phrase, key);
}

test('custom functions refuse what PyTorch refuses', () => {
  const t = tensor([1, 2], { requiresGrad: true });
  refusedAlike('count', () => WrongCount.apply(t, t).sum().backward(), /function WrongCountBackward returned an incorrect number of gradients \(expected 2, got 1\)/);
  refusedAlike('shape', () => WrongShape.apply(t).sum().backward(), /Function WrongShapeBackward returned an invalid gradient at index 0 - got \[5\] but expected shape compatible with \[2\]/);
  refusedAlike('number', () => GradForNumber.apply(t, 2).sum().backward(), /returned a gradient different than (None|null) at position 2, but the corresponding forward input was not a/);
  refusedAlike('changed', () => {
    const e = Exp.apply(t.mul(1));
    noGrad(() => e.mul_(2));
    e.sum().backward();
  }, /modified by an inplace operation|changed in place/);
  assert.throws(() => Function.apply(t as never), /call apply on a subclass/);
  class NoBackward extends Function {
    static override forward(_ctx: Ctx, x: Tensor): Tensor {
      return x.mul(2);
    }
  }
  assert.throws(() => NoBackward.apply(t).sum().backward(), /NoBackward\.backward is not written/);
  class ReturnsNumber extends Function {
    static override forward(): Tensor {
      return 3 as unknown as Tensor;
    }
  }
  assert.throws(() => ReturnsNumber.apply(), /ReturnsNumber\.forward must return a Tensor or an array of Tensors; it returned the number 3/);
});

class Narrow extends Function {
  static override forward(_ctx: Ctx, x: Tensor): Tensor {
    return x.narrow(0, 0, 1);
  }
  static override backward(_ctx: Ctx, g: Tensor): Tensor {
    return cat([g, tensor([0])]);
  }
}

class Same extends Function {
  static override forward(_ctx: Ctx, x: Tensor): Tensor {
    return x;
  }
  static override backward(_ctx: Ctx, g: Tensor): Tensor {
    return g;
  }
}

class Halves extends Function {
  static override forward(_ctx: Ctx, x: Tensor): Tensor[] {
    return [x.narrow(0, 0, 1), x.narrow(0, 1, 1)];
  }
  static override backward(_ctx: Ctx, ga: Tensor, gb: Tensor): Tensor {
    return cat([ga, gb]);
  }
}

test('a view a custom function returns (or an input returned as it is, or a view of either) refuses in-place changes with autograd following, as PyTorch', () => {
  /** PyTorch's refusal names the output and its node, and why; Kindling's says the same. */
  const refused = (key: string, fn: () => unknown, why: RegExp): void => {
    const torch = fx.refusals[key]!.message;
    const [, output, node] = /^Output (\d+) of (\w+) is a view/.exec(torch)!;
    assert.match(torch, why, `PyTorch's ${key}`);
    assert.throws(fn, (e: Error) => e.message.includes(`output ${output} of ${node} is a view`) && why.test(e.message), key);
  };
  const custom = /created inside a custom Function/;
  const t = tensor([1, 2], { requiresGrad: true });
  refused('view_inplace', () => Narrow.apply(t.mul(1)).mul_(2), custom);
  refused('view_of_view_inplace', () => Narrow.apply(t.mul(1)).view(1).mul_(2), custom);
  refused('input_inplace', () => Same.apply(t).mul_(2), custom);
  assert.deepEqual(t.tolist(), [1, 2], 'the leaf is left as it was');
  refused('multi_view_inplace', () => Halves.apply(t.mul(1))[1]!.mul_(2), /returns multiple views/);
  // Inside noGrad the change is made, as in PyTorch; and a copy may be changed.
  const y = Narrow.apply(t.mul(1));
  noGrad(() => y.mul_(2));
  assert.deepEqual(y.tolist(), [2]);
  const c = Narrow.apply(t.mul(1)).clone();
  c.mul_(3).sum().backward();
  assert.deepEqual(t.grad!.tolist(), [3, 0]);
});
