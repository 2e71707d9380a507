/** One max-pooling call as the kernels see it: `planes` planes of H×W, windows of kh×kw taps giving Ho×Wo. */
export interface MaxPoolPlan {
  readonly planes: number;
  readonly H: number;
  readonly W: number;
  readonly Ho: number;
  readonly Wo: number;
  /** The window's size, step, padding (taps there are left out) and the spacing of its taps. */
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
}

/**
 * One average-pooling call: `planes` planes of H×W, n outputs a plane, each output's window clipped to the input (rows
 * [top, bottom), columns [left, right)) and its divisor.
 */
export interface AvgPoolPlan {
  readonly planes: number;
  readonly H: number;
  readonly W: number;
  readonly n: number;
  readonly top: Int32Array;
  readonly bottom: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly divisor: Float64Array;
}
