/**
 * pngjs, loaded the first time a PNG is read or written: `--help`, `--version`, `eval` and `predict` on a CSV file
 * start without it (it takes about 14 ms to load). pngjs is CommonJS, so `require` loads it synchronously.
 */
import { createRequire } from 'node:module';
import type * as Pngjs from 'pngjs';

let loaded: typeof Pngjs.PNG | undefined;

/** pngjs's `PNG` class. */
export function pngjs(): typeof Pngjs.PNG {
  loaded ??= (createRequire(import.meta.url)('pngjs') as typeof Pngjs).PNG;
  return loaded;
}
