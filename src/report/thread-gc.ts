/**
 * A full garbage collection on a rendering thread after each plot, so that the plot's scene graph (Vega's, about
 * 55 MB for 18,000 dots) or raster tree (resvg's) is freed before the next plot is drawn, as it was when each plot
 * had a thread of its own. V8 offers `gc` only to contexts made after `--expose-gc` is set; without it, nothing
 * happens and V8 collects when it chooses.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
