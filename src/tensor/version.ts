/**
 * PyTorch's version counter: how many in-place changes a tensor's storage has had. A tensor shares its counter with
 * every view of it and with `detach()`; in-place ops (`add_`, `copy_`, …), optimizer steps and `loadStateDict`
 * bump it. An op that saves a tensor for its backward pass notes the count, and `backward()` refuses to use the
 * tensor once the count has moved (see autograd/record.ts), instead of computing a gradient from changed values.
 * Writes through `.data` are not counted, as PyTorch does not count writes through its `.data`. @internal
 *
 * `graphEdits` counts the in-place changes autograd followed (ops/rebase.ts): a tensor of the graph that shares the
 * storage and has not seen the last of them (a view of the changed tensor, or the tensor a changed view was made
 * from) has a node that no longer tells how its values were made. `views` counts the views made of the storage
 * (minus those an op made for itself and dropped, see ops/join.ts `stack`).
 */
export class VersionCounter {
  value = 0;
  graphEdits = 0;
  views = 0;
}

/** Whether tensors made now are inference tensors (autograd/inference-mode.ts sets it). @internal */
let inference = false;

/** @internal */
export function setInferenceTensors(on: boolean): boolean {
  const was = inference;
  inference = on;
  return was;
}

/** @internal */
export function makingInferenceTensors(): boolean {
  return inference;
}

/** Refuses, before anything is written, an in-place change of an inference tensor outside inference mode. @internal */
export function checkWritable(version: VersionCounter): void {
  if (version instanceof InferenceVersion && !inference) throw new Error(INFERENCE_INPLACE);
}

const INFERENCE_INPLACE = 'Inplace update to inference tensor outside InferenceMode is not allowed. You can make a clone to get a normal tensor before doing inplace update. (PyTorch\'s words; this tensor was made inside inferenceMode)';

/**
 * The counter of an inference tensor (made inside `inferenceMode`, PyTorch's InferenceMode), shared by its views:
 * PyTorch's inference tensors have no version counter, so an in-place change outside inference mode is refused.
 * @internal
 */
export class InferenceVersion extends VersionCounter {
  /** Whether any inference tensor was ever made: until then, recording an op checks nothing. */
  static made = false;

  constructor() {
    super();
    InferenceVersion.made = true;
    let count = 0;
    Object.defineProperty(this, 'value', {
      get: () => count,
      set: (v: number) => {
        if (!inference) throw new Error(INFERENCE_INPLACE);
        count = v;
      },
    });
  }
}

/** A new tensor's counter: an inference tensor's inside inference mode. @internal */
export function newVersionCounter(): VersionCounter {
  return inference ? new InferenceVersion() : new VersionCounter();
}
