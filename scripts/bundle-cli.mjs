// Bundles the `kindling` command and its training thread into dist/bundle/: about 270 compiled modules loaded one by
// one took a command 0.38 s to start (`kindling --version`), and each training thread 0.19 s; bundled, 0.23 s and
// 0.10 s (docs/speed.md, "Session 42"). Runs after tsc (it bundles the compiled dist/src files, with their source
// maps, so `--debug` stack traces name the TypeScript). npm packages stay outside the bundle, loaded as before, and
// what a command imports only when it runs (`serve`'s server, Vega) stays in chunks of its own.
//
// Modules find files next to them (the kernels' .wasm, the package file, worker scripts, the web pages) from
// `import.meta.url`, which in a bundle would be the chunk's. Each module's `import.meta.url` is therefore rewritten to
// the URL of its compiled file in dist/src (or dist/bench, for `kindling bench`), reached from the chunk:
// dist/bundle/<folder>/ is as deep as dist/src/<folder>/, so every output file is one folder below dist/bundle
// (checked below).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const compiled = join(dist, 'src');
const outdir = join(dist, 'bundle');

/** `import.meta.url` of each compiled module → its own URL, as seen from a file one folder below `outdir`. */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = relative(join(outdir, 'chunks'), args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

const started = Date.now();
// Chunks are named by their content: those of an earlier build would stay beside the new ones.
rmSync(outdir, { recursive: true, force: true });
let result;
try {
  result = await build({
    entryPoints: [join(compiled, 'cli', 'main.js'), join(compiled, 'lab', 'worker.js')],
    outbase: compiled,
    outdir,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Classes keep their names, which messages and printed models show ("got a Tensor"); esbuild would otherwise
    // rename some of them to avoid clashes between modules.
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [moduleUrls],
  });
} catch {
  // esbuild has printed the errors already.
  console.error('bundle-cli: bundling the command failed');
  process.exit(1);
}
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const misplaced = outputs.filter((f) => relative(outdir, join(root, f)).split(sep).length !== 2);
if (misplaced.length > 0) {
  console.error(`bundle-cli: ${misplaced.join(', ')} not one folder below dist/bundle: the modules' own URLs would be wrong there`);
  process.exit(1);
}
// The files made, for the build's check that none has gone since (scripts/build.mjs).
writeFileSync(join(outdir, 'files.json'), `${JSON.stringify(outputs.map((f) => relative(outdir, join(root, f)).split(sep).join('/')))}\n`);
console.error(`bundle-cli: cli/main.js, lab/worker.js and ${outputs.length - 2} chunks → dist/bundle/ in ${Date.now() - started} ms`);
