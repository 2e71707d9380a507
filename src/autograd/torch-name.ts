/**
 * PyTorch's class name for a grad_fn of Kindling's op `name` when the op gives none of its own: the name capitalized
 * + 'Backward0' ('sigmoid' → 'SigmoidBackward0'), which is PyTorch's for most ops (record.ts).
 */
export function defaultTorchName(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Backward0`;
}
