import { randn } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { grad } from './grad.js';
import { enableGrad } from './grad-mode.js';
import { checkedInputs, gradcheck, GRADCHECK_OPTIONS, type Fn, type GradcheckOptions } from './gradcheck.js';
import { checkPyTorchOptions, PYTORCH_GRADGRADCHECK_OPTIONS, type PyTorchGradgradcheckOptions } from './gradcheck-options.js';

type Outputs = Tensor | readonly Tensor[];
/** gradcheck's options, and gradgradcheck's own PyTorch keywords. */
type GradgradcheckOptions = GradcheckOptions & PyTorchGradgradcheckOptions;
type GradOutputs = Tensor | readonly Tensor[] | GradgradcheckOptions | null;

/**
 * Checks the second derivatives of `fn` at `inputs` against finite differences, as PyTorch's
 * `torch.autograd.gradgradcheck`: `gradcheck` of the function that maps the inputs and the outputs' gradients
 * (`gradOutputs`, one per output; left out, drawn with `randn` from the global generator, as PyTorch draws them) to
 * the first-order gradients, computed with createGraph. So the gradient's graph (the ops' differentiable backward)
 * is checked, with respect to the inputs and to the gradients of the outputs. Options and result as `gradcheck`'s.
 *
 * @example autograd.gradgradcheck((x) => x.pow(3).tanh(), [rand([3]).requiresGrad_()]);
 */
export function gradgradcheck(fn: (input: Tensor) => Outputs, inputs: Tensor, gradOutputs?: GradOutputs, options?: GradgradcheckOptions): boolean;
export function gradgradcheck<const A extends readonly unknown[]>(fn: (...inputs: A) => Outputs, inputs: A, gradOutputs?: GradOutputs, options?: GradgradcheckOptions): boolean;
export function gradgradcheck(func: unknown, inputs: unknown, gradOutputs?: GradOutputs, options?: GradgradcheckOptions): boolean {
  if (typeof func !== 'function') throw new TypeError(`gradgradcheck: the first argument must be the function to check, got ${describeValue(func)}`);
  const fn = func as Fn;
  const optionsThird = isPlainObject(gradOutputs);
  const given = (optionsThird ? gradOutputs : options) as GradgradcheckOptions | undefined;
  // Every name checked here, so an unknown one is refused naming gradgradcheck and its options; its own options' values
  // checked here, the rest by gradcheck.
  if (given !== undefined) checkOptions<GradgradcheckOptions>('gradgradcheck', given, [...GRADCHECK_OPTIONS, ...PYTORCH_GRADGRADCHECK_OPTIONS]);
  const own = isPlainObject(given) ? Object.fromEntries(Object.entries(given).filter(([k]) => (PYTORCH_GRADGRADCHECK_OPTIONS as readonly string[]).includes(k))) : {};
  checkPyTorchOptions('gradgradcheck', own);
  const opts = isPlainObject(given) ? (Object.fromEntries(Object.entries(given).filter(([k]) => !Object.hasOwn(own, k))) as GradcheckOptions) : given;
  const { list, checked } = checkedInputs('gradgradcheck', inputs);
  const outs = enableGrad(() => fn(...list));
  const outList = (Array.isArray(outs) ? outs : [outs]) as Tensor[];
  const seedsGiven = optionsThird || gradOutputs === undefined || gradOutputs === null ? null : gradOutputs instanceof Tensor ? [gradOutputs] : gradOutputs;
  if (seedsGiven !== null && (!Array.isArray(seedsGiven) || seedsGiven.length !== outList.length)) {
    throw new RangeError(`gradgradcheck: gradOutputs must hold one tensor per output of the function (${outList.length}), got ${describeValue(gradOutputs)}`);
  }
  const seeds = (seedsGiven ?? outList.map((o) => randn(o.shape))).map((g, k) => {
    if (!(g instanceof Tensor)) throw new TypeError(`gradgradcheck: gradOutputs[${k}] must be a Tensor, got ${describeValue(g)}`);
    return g.requiresGrad ? g : g.detach().requiresGrad_();
  });
  const n = list.length;
  // The inputs and the outputs' gradients ↦ the first derivatives, with their graph. Inputs other than the checked
  // tensors (numbers, …) reach fn as they are, through gradcheck, as PyTorch's.
  const firstOrder = (...all: unknown[]): Tensor[] => enableGrad(() => {
    const xs = all.slice(0, n).map((t, i) => (checked.includes(i) && !(t as Tensor).requiresGrad ? (t as Tensor).detach().requiresGrad_() : t));
    const ys = fn(...xs);
    const ysList = (Array.isArray(ys) ? ys : [ys]) as Tensor[];
    const pairs = ysList.map((y, k) => [y, all[n + k] as Tensor] as const).filter(([y]) => y.requiresGrad);
    const targets = checked.map((i) => xs[i] as Tensor);
    const gs: (Tensor | null)[] = pairs.length === 0
      ? targets.map(() => null)
      : grad(pairs.map(([y]) => y), targets, pairs.map(([, s]) => s), { createGraph: true, allowUnused: true });
    return gs.map((g, c) => g ?? new Tensor(new Float32Array(targets[c]!.numel()), targets[c]!.shape));
  });
  return gradcheck(firstOrder, [...list, ...seeds], opts);
}
