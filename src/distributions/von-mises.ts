// VonMises(loc, concentration), the circular distribution, as PyTorch 1.13's: Best and Fisher's rejection sampler
// drawing rand([3, ...shape]) per round until every element is accepted (seeded as PyTorch's draws), angles wrapped
// to [−π, π); the log density with PyTorch's polynomial log-Bessel approximations, and the circular mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { broadcastShapes } from '../tensor/shape.js';
import { rand, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

const I0_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2];
const I0_LARGE = [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2];
const I1_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3];
const I1_LARGE = [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2];

/** Horner's rule from the last coefficient, as PyTorch's _eval_poly. */
function evalPoly(y: Tensor, coef: readonly number[]): Tensor {
  let result: Tensor | number = coef[coef.length - 1]!;
  for (let i = coef.length - 2; i >= 0; i--) result = typeof result === 'number' ? y.mul(result).add(coef[i]!) : y.mul(result).add(coef[i]!);
  return result as Tensor;
}

/** log I_order(x) for x > 0, order 0 or 1 (PyTorch's _log_modified_bessel_fn). */
function logBessel(x: Tensor, order: 0 | 1): Tensor {
  const y = x.div(3.75);
  let small = evalPoly(y.mul(y), order === 0 ? I0_SMALL : I1_SMALL);
  if (order === 1) small = x.abs().mul(small);
  small = small.log();
  const large = x.sub(x.log().mul(0.5)).add(evalPoly(x.reciprocal().mul(3.75), order === 0 ? I0_LARGE : I1_LARGE).log());
  return where(x.lt(3.75), small, large);
}

export class VonMises extends Distribution {
  override get support(): constraints.Constraint { return constraints.real; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.real, concentration: constraints.positive }; }
  override get hasRsample(): boolean { return false; }

  readonly #loc: Tensor;
  readonly #concentration: Tensor;
  readonly #proposalR: Tensor;

  constructor(loc: Param, concentration: Param, options: { validateArgs?: boolean } = {}) {
    const [l, c] = [asTensor(loc), asTensor(concentration)];
    super(broadcastShapes(l.shape, c.shape, 'VonMises'), [], options);
    this.#loc = l;
    this.#concentration = c;
    this.checkParam('loc', this.loc, (v) => v === v, 'Real()');
    this.checkParam('concentration', this.concentration, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    const k = this.concentration;
    const tau = k.pow(2).mul(4).add(1).sqrt().add(1);
    const rho = tau.sub(tau.mul(2).sqrt()).div(k.mul(2));
    this.#proposalR = rho.pow(2).add(1).div(rho.mul(2));
  }

  get loc(): Tensor { return atShape(this.#loc, this.batchShape); }
  get concentration(): Tensor { return atShape(this.#concentration, this.batchShape); }

  override expand(batchShape: readonly number[]): VonMises {
    return this.keepValidation(new VonMises(this.loc.expand([...batchShape]), this.concentration.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['loc', this.loc], ['concentration', this.concentration]];
  }

  /** The circular mean. */
  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  /** The circular variance 1 − I1(κ)/I0(κ). */
  override get variance(): Tensor {
    return logBessel(this.concentration, 1).sub(logBessel(this.concentration, 0)).exp().neg().add(1);
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const shape = this.extendedShape(sampleShape);
      const r = this.#proposalR;
      const k = this.concentration;
      let x = zeros(shape);
      let done = zeros(shape);
      while (!done.values().every((v) => v !== 0)) {
        const [u1, u2, u3] = rand([3, ...shape]).unbind(0) as [Tensor, Tensor, Tensor];
        const z = u1.mul(Math.PI).cos();
        const f = r.mul(z).add(1).div(r.add(z));
        const c = k.mul(r.sub(f));
        const accept = c.mul(c.neg().add(2)).sub(u2).gt(0).add(c.div(u2).log().add(1).sub(c).ge(0)).gt(0);
        if (accept.values().some((v) => v !== 0)) {
          x = where(accept, u3.sub(0.5).sign().mul(f.acos()), x);
          done = done.add(accept).gt(0);
        }
      }
      return x.add(Math.PI).add(this.loc).remainder(2 * Math.PI).sub(Math.PI);
    });
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    return this.concentration.mul(value.sub(this.loc).cos()).sub(Math.log(2 * Math.PI)).sub(logBessel(this.concentration, 0));
  }
}
