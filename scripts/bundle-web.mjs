// Bundles the lab pages' scripts (and the Web Worker that trains in the browser) with esbuild into dist/web/.
// Kindling's engine is bundled from its TypeScript sources; the few Node built-ins that files on the way import
// (for reading files, never reached in a page) become stubs that throw if anything ever calls them.
import { build } from 'esbuild';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'src', 'web', 'client');
const entries = ['runs', 'train', 'draw', 'train-worker'];

/** `node:*` imports resolve to a module whose every property throws a clear error when used. */
const nodeStubs = {
  name: 'node-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      loader: 'js',
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not available in the browser`)}); };
module.exports = new Proxy({}, { get: (_t, key) => key === '__esModule' ? false : key === 'default' ? module.exports : fail });`,
    }));
  },
};

const started = Date.now();
try {
  await build({
    entryPoints: Object.fromEntries(entries.map((e) => [e, join(client, `${e}.ts`)])),
    outdir: join(root, 'dist', 'web'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    sourcemap: true,
    minify: false,
    logLevel: 'warning',
    plugins: [nodeStubs],
  });
} catch {
  // esbuild has printed the errors (file, line, what could not be resolved) already.
  console.error('bundle-web: bundling the page scripts failed');
  process.exit(1);
}
// The WebAssembly kernels' two builds, for pages served cross-origin isolated (src/web/client/kernels.ts fetches
// them).
const wasms = ['kernels.wasm', 'kernels-native.wasm'].filter((name) => existsSync(join(root, 'dist', name)));
for (const name of wasms) copyFileSync(join(root, 'dist', name), join(root, 'dist', 'web', name));
console.error(`bundle-web: ${[...entries.map((e) => `${e}.js`), ...wasms].join(', ')} → dist/web/ in ${Date.now() - started} ms`);
