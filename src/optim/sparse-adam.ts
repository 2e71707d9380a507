import { KindlingError } from '../errors.js';

/**
 * PyTorch's `SparseAdam`, which steps only sparse gradients (such as `nn.Embedding(…, sparse=True)` makes) and
 * refuses dense ones at its step ("SparseAdam does not support dense gradients, please consider Adam instead").
 * Kindling has no sparse tensors, so every gradient is dense: it is refused when made, saying so, instead of at the
 * first `step()`. `optim.Adam` steps dense gradients; with one image's gradient it already leaves alone the rows of
 * a first layer's dark pixels until they are read (see docs/speed.md, "Owed rows").
 */
export class SparseAdam {
  constructor(..._args: unknown[]) {
    throw new KindlingError(
      'SparseAdam: Kindling has no sparse tensors, so every gradient is dense, and SparseAdam steps only sparse ones ' +
        '(PyTorch\'s refuses a dense gradient: "SparseAdam does not support dense gradients, please consider Adam instead"): use optim.Adam',
    );
  }
}
