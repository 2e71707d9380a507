// Bundles the plot-rendering thread (Vega, Vega-Lite and the report's renderer; resvg stays a native package) into
// one file, dist/render-worker.bundle.js: each plot gets a fresh thread, and loading Vega's hundred-odd modules
// one by one took about a third of a plot's time. Runs after tsc (it bundles the compiled dist/src files).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
try {
  await build({
    entryPoints: [join(root, 'dist', 'src', 'report', 'render-worker.js')],
    outfile: join(root, 'dist', 'render-worker.bundle.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@resvg/resvg-js'],
    minify: true,
    logLevel: 'warning',
    // CommonJS dependencies inside the bundle call require(): give the ES module one.
    banner: { js: "import { createRequire as __kindlingRequire } from 'node:module'; const require = __kindlingRequire(import.meta.url);" },
  });
} catch {
  process.exit(1);
}
console.error(`bundle-render-worker: dist/render-worker.bundle.js in ${Date.now() - started} ms`);
