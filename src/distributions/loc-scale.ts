// What the location–scale families share (Normal, Laplace, Cauchy): loc and scale broadcast to one batch
// shape, scale checked positive, both read at the batch shape, printed in PyTorch's order.
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

export abstract class LocScale extends Distribution {
  override get support(): constraints.Constraint { return constraints.real; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.real, scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #loc: Tensor;
  readonly #scale: Tensor;

  protected constructor(name: string, loc: Param, scale: Param, options: { validateArgs?: boolean }) {
    const [l, s] = [asTensor(loc), asTensor(scale)];
    super(broadcastShapes(l.shape, s.shape, name), [], options);
    this.#loc = l;
    this.#scale = s;
    this.checkParam('loc', this.loc, (v) => v === v, 'Real()');
    this.checkParam('scale', this.scale, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  /** The parameters at the batch shape (expanded when they were given smaller, at each read: no node kept). */
  get loc(): Tensor { return atShape(this.#loc, this.batchShape); }
  get scale(): Tensor { return atShape(this.#scale, this.batchShape); }

  override expand(batchShape: readonly number[]): this {
    const Ctor = this.constructor as new (loc: Tensor, scale: Tensor, options: { validateArgs?: boolean }) => this;
    return this.keepValidation(new Ctor(this.loc.expand([...batchShape]), this.scale.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['loc', this.loc], ['scale', this.scale]];
  }
}
