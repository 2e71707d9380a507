// The ops bench's patterns and how each is timed (`kindling bench --ops`; bench/ops_reference.py times PyTorch the
// same way): warm-up steps, then blocks of steps, and the fastest block's µs per step.

/** One step of a pattern: `i` counts the steps from 0; the result is what the check reads (see `checkOf`). */
export type Step = (i: number) => unknown;

export interface Plan {
  /** Untimed steps first. */
  readonly warm: number;
  /** Steps per timed block. */
  readonly steps: number;
  /** Timed blocks; the fastest counts. */
  readonly blocks: number;
}

export interface OpsPattern {
  readonly name: string;
  /** What it is, in PyTorch's terms, on one line. */
  readonly description: string;
  readonly plan: Plan;
  /**
   * How the two sides' results are compared: `loss` is the loss of the 30th step of a fresh setup (training loops),
   * `sumsq` the sum of squares (in float64) of the first step's result, `value` its number (p7's accuracy).
   */
  readonly check: 'loss' | 'sumsq' | 'value';
  /** Builds the pattern's state (models seeded, tensors made) and returns its step. */
  setup(): Step;
}

/** Steps a training pattern's check runs: the loss it reports is the 30th step's. */
export const CHECK_STEPS = 30;

export const TENSOR_PLAN: Plan = { warm: 50, steps: 100, blocks: 5 };
export const BATCH_PLAN: Plan = { warm: 200, steps: 300, blocks: 5 };
export const ONE_IMAGE_PLAN: Plan = { warm: 1000, steps: 1000, blocks: 5 };

/** `plan` with its warm-up and block steps multiplied by `scale` (at least one of each). */
export function scaled(plan: Plan, scale: number): Plan {
  const by = (n: number): number => Math.max(1, Math.ceil(n * scale));
  return { warm: by(plan.warm), steps: by(plan.steps), blocks: plan.blocks };
}

export interface Measured {
  /** The fastest block's µs per step. */
  us: number;
  /** Every block's µs per step, in order. */
  blocks: number[];
  steps: number;
  warm: number;
}

/** Runs `plan.warm` steps, then `plan.blocks` timed blocks of `plan.steps`; the step counter runs on throughout. */
export function timeSteps(step: Step, plan: Plan): Measured {
  let i = 0;
  for (let w = 0; w < plan.warm; w++) step(i++);
  const blocks: number[] = [];
  for (let b = 0; b < plan.blocks; b++) {
    const t0 = process.hrtime.bigint();
    for (let s = 0; s < plan.steps; s++) step(i++);
    blocks.push(Number(process.hrtime.bigint() - t0) / 1e3 / plan.steps);
  }
  return { us: Math.min(...blocks), blocks, steps: plan.steps, warm: plan.warm };
}
