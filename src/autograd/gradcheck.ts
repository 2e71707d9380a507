import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue } from '../options.js';
import { checkPyTorchOptions, PYTORCH_CHECK_OPTIONS, type PyTorchCheckOptions } from './gradcheck-options.js';
import { grad } from './grad.js';
import { enableGrad, noGrad } from './grad-mode.js';

/**
 * Options of `gradcheck`: PyTorch's, with defaults for float32 (PyTorch's 1e-6 / 1e-5 / 1e-3 are for float64), and its
 * other keywords (gradcheck-options.ts).
 */
export interface GradcheckOptions extends PyTorchCheckOptions {
  /** The finite-difference step (default 1e-3). */
  eps?: number;
  /** Absolute tolerance (default 1e-4). */
  atol?: number;
  /** Relative tolerance, against the numerical value (default 1e-2). */
  rtol?: number;
  /** Throw a GradcheckError naming the first mismatch (default), or return false. */
  raiseException?: boolean;
}

/** What `gradcheck` throws on a mismatch: which output and input, and both Jacobians. */
export class GradcheckError extends Error {
  override name = 'GradcheckError';
}

/** The function checked: it takes the inputs as given (tensors, and other values passed through as they are). */
export type Fn = (...inputs: unknown[]) => Tensor | readonly Tensor[];
type Outputs = Tensor | readonly Tensor[];

function outputsOf(fn: Fn, inputs: readonly unknown[]): Tensor[] {
  const out: unknown = fn(...inputs);
  const list: unknown[] = Array.isArray(out) ? (out as unknown[]) : [out];
  list.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`gradcheck: the function must return a Tensor or an array of Tensors; output ${k} is ${describeValue(t)}`);
  });
  return list as Tensor[];
}

/** Row-major Jacobian blocks [outputs][inputs], each numel(output) × numel(input), as float64. */
type Blocks = Float64Array[][];

/** By central differences: every element of every input that requires grad moved by ±eps in turn. */
function numerical(fn: Fn, inputs: readonly unknown[], checked: readonly number[], sizes: readonly number[], eps: number): Blocks {
  const tensor = (i: number): Tensor => inputs[i] as Tensor;
  const blocks: Blocks = sizes.map((m) => checked.map((i) => new Float64Array(m * tensor(i).numel())));
  noGrad(() => {
    checked.forEach((i, c) => {
      const base = tensor(i).toArray();
      const n = base.length;
      const moved = (j: number, by: number): unknown[] => inputs.map((t, k) => {
        if (k !== i) return t instanceof Tensor ? t.detach() : t;
        const v = Float32Array.from(base);
        v[j] = v[j]! + by;
        return new Tensor(v, tensor(i).shape);
      });
      for (let j = 0; j < n; j++) {
        const plus = outputsOf(fn, moved(j, eps)).map((o) => o.toArray());
        const minus = outputsOf(fn, moved(j, -eps)).map((o) => o.toArray());
        // The step actually taken, as float32 rounds x ± eps.
        const step = Math.fround(base[j]! + eps) - Math.fround(base[j]! - eps);
        plus.forEach((p, o) => {
          const block = blocks[o]![c]!;
          for (let r = 0; r < p.length; r++) block[r * n + j] = (p[r]! - minus[o]![r]!) / step;
        });
      }
    });
  });
  return blocks;
}

/** By backward passes: one per output element, with that element's gradient one. */
function analytical(fn: Fn, inputs: readonly unknown[], checked: readonly number[]): { blocks: Blocks; sizes: number[] } {
  const outs = enableGrad(() => outputsOf(fn, inputs));
  const targets = checked.map((i) => inputs[i] as Tensor);
  const blocks: Blocks = outs.map((out) => {
    const m = out.numel();
    const row = targets.map((t) => new Float64Array(m * t.numel()));
    if (!out.requiresGrad) return row;
    for (let e = 0; e < m; e++) {
      const seed = new Float32Array(m);
      seed[e] = 1;
      const gs = grad(out, targets, new Tensor(seed, out.shape), { retainGraph: true, allowUnused: true });
      gs.forEach((g, c) => {
        if (g !== null) row[c]!.set(g.values(), e * targets[c]!.numel());
      });
    }
    return row;
  });
  return { blocks, sizes: outs.map((o) => o.numel()) };
}

/**
 * The inputs as a list, and the positions of the tensors among them that require grad (at least one). Other entries
 * (numbers, options, tensors without requiresGrad) are passed to the function as they are, as PyTorch's gradcheck does.
 */
export function checkedInputs(op: string, inputs: unknown): { list: unknown[]; checked: number[] } {
  const list: unknown = inputs instanceof Tensor ? [inputs] : inputs;
  if (!Array.isArray(list)) throw new TypeError(`${op}: inputs must be a Tensor or an array (of Tensors and other arguments of the function), got ${describeValue(inputs)}`);
  const checked = list.map((t: unknown, i) => (t instanceof Tensor && t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) throw new Error(`${op}: expects at least one input tensor to require gradient (PyTorch's rule); give it with requiresGrad`);
  return { list, checked };
}

function show(block: Float64Array, rows: number, cols: number): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) lines.push(`  [${Array.from(block.subarray(r * cols, (r + 1) * cols), (v) => v.toPrecision(6)).join(', ')}]`);
  return lines.join('\n');
}

/** The names of gradcheck's options, PyTorch's other keywords included. */
export const GRADCHECK_OPTIONS = ['eps', 'atol', 'rtol', 'raiseException', ...PYTORCH_CHECK_OPTIONS] as const;

/**
 * Checks the gradients of `fn` at `inputs` against central finite differences, as PyTorch's
 * `torch.autograd.gradcheck`: for every output and every input tensor that requires grad, the Jacobian from backward
 * passes must match the numerical one within `atol + rtol·|numerical|`, element by element. Other inputs (numbers,
 * options, tensors without requiresGrad) are passed to `fn` as they are, as in PyTorch. Returns true, or on a mismatch
 * throws a GradcheckError showing both Jacobians (or returns false with `raiseException: false`). Kindling computes in
 * float32, so the defaults are float32's (eps 1e-3, atol 1e-4, rtol 1e-2), not PyTorch's float64 ones; pick inputs
 * away from kinks (relu at 0, abs at 0), where differences and derivatives disagree.
 *
 * @example
 * autograd.gradcheck((x) => MyFn.apply(x), [rand([3, 4]).requiresGrad_()]);
 * autograd.gradcheck((x, alpha) => x.mul(alpha), [rand([3]).requiresGrad_(), 2.5]);
 */
export function gradcheck(fn: (input: Tensor) => Outputs, inputs: Tensor, options?: GradcheckOptions): boolean;
export function gradcheck<const A extends readonly unknown[]>(fn: (...inputs: A) => Outputs, inputs: A, options?: GradcheckOptions): boolean;
export function gradcheck(given: unknown, inputs: unknown, options?: GradcheckOptions): boolean {
  if (typeof given !== 'function') throw new TypeError(`gradcheck: the first argument must be the function to check, got ${describeValue(given)}`);
  const fn = given as Fn;
  const o = checkOptions<GradcheckOptions>('gradcheck', options, GRADCHECK_OPTIONS);
  const { eps = 1e-3, atol = 1e-4, rtol = 1e-2, raiseException = true, ...others } = o;
  checkPyTorchOptions('gradcheck', others);
  for (const [name, v] of [['eps', eps], ['atol', atol], ['rtol', rtol]] as const) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new RangeError(`gradcheck: ${name} must be a finite number ≥ 0, got ${describeValue(v)}`);
  }
  if (!(eps > 0)) throw new RangeError('gradcheck: eps must be above 0');
  const { list, checked } = checkedInputs('gradcheck', inputs);
  const { blocks: exact, sizes } = analytical(fn, list, checked);
  const approx = numerical(fn, list, checked, sizes, eps);
  for (let out = 0; out < sizes.length; out++) {
    for (let c = 0; c < checked.length; c++) {
      const a = exact[out]![c]!;
      const n = approx[out]![c]!;
      for (let k = 0; k < a.length; k++) {
        if (Math.abs(a[k]! - n[k]!) <= atol + rtol * Math.abs(n[k]!)) continue;
        if (!raiseException) return false;
        const input = list[checked[c]!] as Tensor;
        const cols = input.numel();
        const rows = sizes[out]!;
        throw new GradcheckError(
          `gradcheck: Jacobian mismatch for output ${out} with respect to input ${checked[c]} (shape ${formatShape(input.shape)}), ` +
            `first at row ${Math.floor(k / cols)}, column ${k % cols}: analytical ${a[k]} against numerical ${n[k]} (atol ${atol}, rtol ${rtol})\n` +
            `numerical:\n${show(n, rows, cols)}\nanalytical:\n${show(a, rows, cols)}`,
        );
      }
    }
  }
  return true;
}
