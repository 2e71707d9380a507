// clamp's bounds by position or as PyTorch's keywords: torch.clamp(x, min=0) is clamp(x, { min: 0 }), and
// torch.clamp(x, 0, max=1) is clamp(x, 0, { max: 1 }), as Kindling's options objects stand for keyword arguments.
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

/** One bound of clamp: a number, a tensor, or null for none. */
export type ClampBound = number | Tensor | null;

/** PyTorch's keywords of clamp (and clip). */
export interface ClampOptions {
  min?: ClampBound;
  max?: ClampBound;
}

/**
 * (min, max) from clamp's two arguments after x: bounds by position (`clamp(x, 0, 1)`, either null), an object of
 * both keywords in min's place (`clamp(x, { max: 1 })`), or min by position and `{ max }` after it. The bounds are
 * left to clamp to check (a min left undefined by position too, which it refuses: null says "no bound").
 */
export function clampBounds(where: string, min: ClampBound | ClampOptions | undefined, max: ClampBound | ClampOptions | undefined): [ClampBound, ClampBound] {
  if (isPlainObject(min)) {
    if (max !== undefined && max !== null) {
      throw new TypeError(`${where}: the options come last, as in ${where}(x, { min: 0, max: 1 }); got ${describeValue(max)} after them`);
    }
    const o = checkOptions<ClampOptions>(where, min, ['min', 'max']);
    return [o.min ?? null, o.max ?? null];
  }
  if (isPlainObject(max)) {
    const o = checkOptions<ClampOptions>(where, max, ['min', 'max']);
    if (o.min !== undefined) throw new TypeError(`${where}: min given twice: ${describeValue(min)} by position and ${describeValue(o.min)} in the options`);
    return [min as ClampBound, o.max ?? null];
  }
  return [min as ClampBound, (max ?? null) as ClampBound];
}
