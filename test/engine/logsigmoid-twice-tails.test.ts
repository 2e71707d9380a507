// LogSigmoid's second derivative in the tails, as PyTorch 1.13's log_sigmoid_double_backward, (h·g)·(σ(x) − 1)·σ(x)
// with σ rounded in float32 steps as its CPU kernel does: 0 from x ≈ 16.6 up, where σ(x) is 1, and −9.36e-14 at x = −30
// (g·σ(−x) differentiated gave −0 at −30 and a nonzero value at 17). Values from PyTorch 1.13:
//   g, = grad(F.logsigmoid(x).sum(), x, create_graph=True); h, = grad(g.sum(), x)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, tensor } from '../../src/index.js';

test('logsigmoid\'s gradient with createGraph is LogSigmoidBackwardBackward0, and its derivative PyTorch\'s in the tails', () => {
  const x = tensor([-40, -30, -20, -16, -10, -1, 0, 1, 10, 15, 16, 17, 20, 30], { requiresGrad: true });
  const [g] = autograd.grad(F.logsigmoid(x).sum(), x, { createGraph: true });
  assert.equal(g!.gradFn?.torchName, 'LogSigmoidBackwardBackward0');
  const [h] = autograd.grad(g!.sum(), x);
  const want = {
    g: [1.0, 1.0, 1.0, 0.9999998807907104, 0.9999545812606812, 0.7310585975646973, 0.5, 0.2689414322376251, 4.539786823443137e-05,
      3.0590220490012143e-07, 1.1253516163378663e-07, 4.139937459513021e-08, 2.06115369216775e-09, 9.357622912219837e-14],
    h: [-4.24835413113866e-18, -9.357623589846195e-14, -2.06115369216775e-09, -1.1253514031750456e-07, -4.539580913842656e-05,
      -0.1966119408607483, -0.25, -0.1966119259595871, -4.5416676584864035e-05, -3.5762775496550603e-07, -1.1920927533992653e-07, 0, 0, 0],
  };
  for (const [name, t] of [['g', g!], ['h', h!]] as const) {
    t.toArray().forEach((v, i) => {
      const e = want[name][i]!;
      assert.ok(Math.abs(v - e) <= 1e-6 * Math.abs(e), `${name} at x = ${x.toArray()[i]}: PyTorch ${e}, Kindling ${v}`);
    });
  }
});

test('a third derivative goes on through σ(x) (gradgradcheck of the gradient)', () => {
  const x = tensor([-3, -0.5, 0.25, 2], { requiresGrad: true });
  assert.equal(autograd.gradgradcheck((t) => autograd.grad(F.logsigmoid(t).sum(), t, { createGraph: true })[0]!, [x]), true);
});
