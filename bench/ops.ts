// The ops bench's catalog (`kindling bench --ops`): training loops and tensor operations a user writes by hand,
// timed in Kindling (bench/ops-child.ts) and in PyTorch (bench/ops_reference.py, the same names).
import type { OpsPattern } from './ops/harness.js';
import { TENSOR_PATTERNS } from './ops/patterns-tensor.js';
import { TRAIN_PATTERNS } from './ops/patterns-train.js';

export type { OpsPattern } from './ops/harness.js';

/** Every pattern, in the table's order. */
export const OPS_PATTERNS: readonly OpsPattern[] = [...TRAIN_PATTERNS, ...TENSOR_PATTERNS];

export const OPS_NAMES: readonly string[] = OPS_PATTERNS.map((p) => p.name);

/** The pattern called `name`, or undefined. */
export function findPattern(name: string): OpsPattern | undefined {
  return OPS_PATTERNS.find((p) => p.name === name);
}
