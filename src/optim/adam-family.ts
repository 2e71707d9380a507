import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, leadingOption } from '../options.js';
import { checkFlags, type TorchFlag } from './torch-flags.js';
import { checkAdamFamily, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';

/** The options every Adam-family optimizer has (Adam, AdamW, Adamax, NAdam, RAdam). */
export interface AdamFamilyOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/** An optimizer's options with every one filled in (`Required<O>`, the shared ones spelt out for the compiler). */
export type Full<O extends AdamFamilyOptions> = Required<O> & { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number };

/** What sets one Adam-family optimizer apart: its name, options and their defaults, extra checks, state buffers. */
export interface AdamFamilySpec<O extends AdamFamilyOptions> {
  readonly name: string;
  /** Every option, in PyTorch's order (also the order `stateDict()` saves them in). */
  readonly keys: readonly (keyof O & string)[];
  /** PyTorch 1.13's defaults. */
  readonly defaults: Required<O>;
  /** Number options besides betas, eps and weight decay (NAdam's momentumDecay), and flags (amsgrad, maximize). */
  readonly numbers?: readonly string[];
  readonly flags?: readonly string[];
  /** PyTorch 1.13's switches this optimizer takes (foreach, …; see torch-flags.ts), among `keys` and `defaults` too. */
  readonly torchFlags: readonly TorchFlag[];
  /** Checks after the shared ones (lr, eps, betas, weight decay), with PyTorch's messages. */
  readonly check?: (o: Full<O>, where: string) => void;
  /** A constructor call with the rate first, for messages: `new NAdam(params, 0.002, { momentumDecay: 0.004 })`. */
  readonly example: string;
  /** What an unknown option's message says for some names (RAdam's `maximize`, which PyTorch 1.13 lacks). */
  readonly hints?: Readonly<Record<string, string>>;
  /** The buffers each parameter's state holds after `step`, in PyTorch's order (Adam's depend on amsgrad). */
  readonly buffers: readonly string[];
}

/** Options with the defaults filled in, validated with PyTorch's messages in its order (`where` names the caller). */
export function adamFamilyOptions<O extends AdamFamilyOptions>(spec: AdamFamilySpec<O>, options: O | undefined, where = spec.name): Full<O> {
  checkOptions(where, options, spec.keys);
  const o = { ...spec.defaults, ...options } as Full<O>;
  checkLr(o.lr, where);
  checkTypes(where, o, ['betas', 'eps', 'weightDecay', ...(spec.numbers ?? [])], spec.flags ?? []);
  checkFlags(where, o, spec.torchFlags);
  checkAdamFamily(where, o);
  spec.check?.(o, where);
  return { ...o, betas: [o.betas[0], o.betas[1]] as const };
}

/**
 * Base of the Adam family: the constructor (the rate also by position, `new optim.NAdam(params, 0.01, {…})`),
 * option checks, saved hyper-parameters and state keys, and the per-parameter walk of a step; each optimizer
 * brings its spec and its update rule.
 */
export abstract class AdamFamily<O extends AdamFamilyOptions> extends Optimizer<Full<O>> {
  protected readonly spec: AdamFamilySpec<O>;

  protected constructor(
    spec: AdamFamilySpec<O>, params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>, lrOrOptions?: number | Tensor | LrTensorOr<O>, options?: Omit<O, 'lr'>,
  ) {
    const given = leadingOption<O>(spec.name, 'lr', lrValue(lrOrOptions, spec.name), options, spec.example);
    checkOptions(spec.name, given, spec.keys, { ...groupHint(spec.name), ...spec.hints });
    super(params as Iterable<Tensor> | Iterable<ParamGroupInput<Full<O>>>, spec.name, given, (raw, where) => adamFamilyOptions(spec, raw as O, where));
    this.spec = spec;
  }

  protected update(): void {
    for (const group of this.paramGroups) this.stepGroup(group);
  }

  /** One step of a group's parameters (after its rate is checked). */
  protected abstract stepGroup(group: ParamGroup<Full<O>>): void;

  /**
   * Each parameter of group `o` that has a gradient, in order: its state (made by `fresh` at its first step), its
   * step count advanced (a float32 tensor in PyTorch, exact for these counts), and its values and its gradient's
   * laid out alike, for `body` to update in place.
   */
  protected eachParam(
    o: ParamGroup<Full<O>>, fresh: (p: Tensor) => ParamState, body: (s: ParamState, step: number, pd: Float32Array, gd: Float32Array) => void,
  ): void {
    checkStepLr(o.lr, this.spec.name);
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        s = fresh(p);
        this.state.set(p, s);
      }
      p.versionCounter.value++; // an in-place change, as PyTorch's param.addcdiv_(…)
      const step = (s['step'] as number) + 1;
      s['step'] = step;
      const gd = gradValues(p, g);
      const pd = paramValues(p);
      body(s, step, pd, gd);
      storeParam(p, pd);
    }
  }

  protected stateKeys(_options: Full<O>): { counters: readonly string[]; buffers: readonly string[] } {
    return { counters: ['step'], buffers: this.spec.buffers };
  }

  protected allBuffers(): readonly string[] {
    return this.spec.buffers;
  }

  protected hyper(group: ParamGroup<Full<O>>): Record<string, unknown> {
    const g = group as unknown as Record<string, unknown>;
    return Object.fromEntries(this.spec.keys.map((k) => [k, k === 'betas' ? [...group.betas] : g[k]]));
  }
}
