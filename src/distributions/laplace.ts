// Laplace(loc, scale), as PyTorch 1.13's: rsample loc − scale·sign(u)·log1p(−|u|) with u from uniform_(ε − 1, 1)
// (seeded as PyTorch's draws), its log density, entropy, cdf and icdf in PyTorch's formulas.
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from './distribution.js';
import { LocScale } from './loc-scale.js';

const EPS = 2 ** -23;

export class Laplace extends LocScale {
  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    super('Laplace', loc, scale, options);
  }

  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get variance(): Tensor { return this.scale.pow(2).mul(2); }
  override get stddev(): Tensor { return this.scale.mul(2 ** 0.5); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const u = noGrad(() => zeros(this.extendedShape(sampleShape)).uniform_(EPS - 1, 1));
    return this.loc.sub(this.scale.mul(u.sign()).mul(u.abs().neg().log1p()));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    return this.scale.mul(2).log().neg().sub(value.sub(this.loc).abs().div(this.scale));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()', 'cdf');
    const d = value.sub(this.loc);
    return d.sign().mul(0.5).mul(d.abs().neg().div(this.scale).expm1()).neg().add(0.5);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(term.abs().mul(-2).log1p()));
  }

  override entropy(): Tensor {
    return this.scale.mul(2).log().add(1);
  }
}
