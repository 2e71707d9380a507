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
