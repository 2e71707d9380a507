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
