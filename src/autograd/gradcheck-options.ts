// PyTorch 1.13's other keyword arguments of gradcheck and gradgradcheck, taken so that a script written for it runs:
// those that change nothing Kindling computes are accepted, those asking for what Kindling does not have (forward-mode
// autograd, vmap, sparse tensors) are accepted at PyTorch's default only, and refused otherwise, saying why.
import { describeValue } from '../options.js';

/** gradcheck's options beyond eps, atol, rtol and raiseException, PyTorch's keywords. */
export interface PyTorchCheckOptions {
  /** PyTorch's `fast_mode` (checks random projections of the Jacobians): Kindling checks every element either way. */
  fastMode?: boolean;
  /** PyTorch's `nondet_tol` (how far two backward passes may disagree): Kindling's backward passes are deterministic. */
  nondetTol?: number;
  /** PyTorch's `check_undefined_grad`: Kindling does not make that check (a missing gradient reaches backward as zeros). */
  checkUndefinedGrad?: boolean;
  /** PyTorch's `check_grad_dtypes`: Kindling's tensors are all float32. */
  checkGradDtypes?: boolean;
  /** PyTorch's `check_batched_grad`: false only (Kindling has no vmap). */
  checkBatchedGrad?: boolean;
  /** PyTorch's `check_batched_forward_grad`: false only (no forward-mode autograd). */
  checkBatchedForwardGrad?: boolean;
  /** PyTorch's `check_forward_ad`: false only (no forward-mode autograd). */
  checkForwardAd?: boolean;
  /** PyTorch's `check_backward_ad`: true only (the check is of the backward pass). */
  checkBackwardAd?: boolean;
  /** PyTorch's `check_sparse_nnz`: false only (no sparse tensors). */
  checkSparseNnz?: boolean;
}

/** gradgradcheck's own options beyond gradcheck's, PyTorch's keywords. */
export interface PyTorchGradgradcheckOptions {
  /** PyTorch's `gen_non_contig_grad_outputs`: the gradients drawn are the same values either way. */
  genNonContigGradOutputs?: boolean;
  /** PyTorch's `check_fwd_over_rev`: false only (no forward-mode autograd). */
  checkFwdOverRev?: boolean;
  /** PyTorch's `check_rev_over_rev`: true only (the check is of the double backward). */
  checkRevOverRev?: boolean;
}

export const PYTORCH_CHECK_OPTIONS = [
  'fastMode', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes', 'checkBatchedGrad', 'checkBatchedForwardGrad', 'checkForwardAd', 'checkBackwardAd', 'checkSparseNnz',
] as const;
export const PYTORCH_GRADGRADCHECK_OPTIONS = ['genNonContigGradOutputs', 'checkFwdOverRev', 'checkRevOverRev'] as const;

/** The flags Kindling can honour at one value only, that value, and why. */
const ONLY: Readonly<Record<string, readonly [boolean, string]>> = {
  checkBatchedGrad: [false, 'Kindling has no vmap'],
  checkBatchedForwardGrad: [false, 'Kindling has no forward-mode autograd'],
  checkForwardAd: [false, 'Kindling has no forward-mode autograd'],
  checkFwdOverRev: [false, 'Kindling has no forward-mode autograd'],
  checkBackwardAd: [true, 'Kindling checks the backward pass'],
  checkRevOverRev: [true, 'Kindling checks the double backward'],
  checkSparseNnz: [false, 'Kindling has no sparse tensors'],
};

/** Checks PyTorch's other options (those in `given`, already known to be among the names above). */
export function checkPyTorchOptions(op: string, given: Readonly<Record<string, unknown>>): void {
  for (const [key, v] of Object.entries(given)) {
    if (v === undefined) continue;
    if (key === 'nondetTol') {
      if (typeof v !== 'number' || !(v >= 0)) throw new RangeError(`${op}: nondetTol must be a number ≥ 0, got ${describeValue(v)}`);
      continue;
    }
    if (typeof v !== 'boolean') throw new TypeError(`${op}: ${key} must be true or false, got ${describeValue(v)}`);
    const only = ONLY[key];
    if (only !== undefined && v !== only[0]) throw new RangeError(`${op}: ${key} can only be ${only[0]} (${only[1]}); leave it out, as PyTorch's default is ${only[0]}`);
  }
}
