// PyTorch's snake_case names, for readers who type the book's code: each is refused with Kindling's name for it,
// where JavaScript would only say "opt.zero_grad is not a function", or read undefined for `x.requires_grad`.

/** [PyTorch's name, Kindling's name, whether it is called or read]. */
export type PythonName = readonly [python: string, kindling: string, kind: 'method' | 'property'];

function refusal(owner: string, [python, kindling, kind]: PythonName): TypeError {
  const call = kind === 'method' ? '()' : '';
  return new TypeError(`${owner}.${python}${call} is PyTorch's name; Kindling's is ${owner}.${kindling}${call}`);
}

/**
 * Puts each PyTorch name on `proto`, not enumerable, as a method that throws when called or an accessor that throws
 * when read or written. `owner` is how the message names an instance (`model`, `optimizer`, `x`).
 */
export function refusePythonNames(proto: object, owner: string, names: readonly PythonName[]): void {
  for (const name of names) {
    const fail = (): never => {
      throw refusal(owner, name);
    };
    const shape = name[2] === 'method' ? { value: fail, writable: false } : { get: fail, set: fail };
    Object.defineProperty(proto, name[0], { ...shape, enumerable: false, configurable: false });
  }
}
