// The README's library examples, run as a user would paste them: every ```ts block under "## The library", with
// `from 'kindling'` (the package's own name, which resolves inside this clone) and nothing else changed (the GAN's
// test appends lines that print its results for the comparison with PyTorch). Each is
// type-checked as strict TypeScript against the built package, without Node's type definitions (a user's project
// may have none: the package's declarations must not need them), then compiled to JavaScript and run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import ts from 'typescript';
import { assertClose, loadFixture, values, type EncodedMap, type EncodedTensor } from '../golden/golden-helpers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function examples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'), readme.indexOf('\n## ', readme.indexOf('## The library') + 1));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Type-checks, compiles and runs `code` in a fresh folder inside the clone; returns the run and the folder. */
function run(code: string, check: (r: { stdout: string; dir: string }) => void): void {
  assert.match(code, /from 'kindling'/);
  // Inside the clone, so that the package resolves to itself, as `import … from 'kindling'` does for a user there.
  const dir = mkdtempSync(join(root, '.readme-example-'));
  try {
    // .mts: an ES module whatever the nearest package.json says (the clone's, which makes `kindling` resolve).
    writeFileSync(join(dir, 'example.mts'), code);
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--typeRoots', dir, 'example.mts'],
      { encoding: 'utf8', cwd: dir },
    );
    assert.equal(tsc.status, 0, `the example does not type-check:\n${tsc.stdout}${tsc.stderr}`);
    const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    writeFileSync(join(dir, 'example.mjs'), js);
    const r = spawnSync(process.execPath, ['example.mjs'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    check({ stdout: r.stdout, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the README's first library example runs and prints the model like PyTorch", () => {
  run(examples()[0]!, ({ stdout }) => {
    assert.match(stdout, /^Sequential\(\n {2}\(0\): Linear\(in_features=784, out_features=200, bias=True\)/);
    assert.match(stdout, /\(4\): Sigmoid\(\)\n\)/);
  });
});

test("the README's Classifier example (the chapter's class, translated) trains, plots its progress and saves its network", () => {
  const code = examples()[1];
  assert.ok(code, 'a second ```ts block under "## The library"');
  assert.match(code, /class Classifier extends nn\.Module/);
  run(code, ({ stdout, dir }) => {
    assert.match(stdout, /^300 losses recorded$/m);
    assert.ok(existsSync(join(dir, 'progress.png')));
    const saved = spawnSync(process.execPath, [join(root, 'bin/kindling.js'), 'eval', '--model', join(dir, 'classifier.safetensors'), '--test-limit', '500'], { encoding: 'utf8' });
    assert.equal(saved.status, 0, saved.stderr);
    assert.match(saved.stdout, /accuracy/i);
  });
});

test("the README's convolutional network trains, reaches the accuracy the README gives, and saves a file kindling eval reads", () => {
  const code = examples()[2];
  assert.ok(code, 'a third ```ts block under "## The library"');
  assert.match(code, /new nn\.Conv2d/);
  run(code, ({ stdout, dir }) => {
    const m = /^accuracy on 1000 test images: (\d+\.\d)%$/m.exec(stdout);
    assert.ok(m, stdout);
    // The README says "about 89%".
    assert.ok(Math.abs(Number(m[1]) - 89) <= 1.5, `accuracy ${m[1]}%`);
    const saved = spawnSync(process.execPath, [join(root, 'bin/kindling.js'), 'eval', '--model', join(dir, 'cnn.safetensors'), '--test-limit', '1000', '--json'], { encoding: 'utf8' });
    assert.equal(saved.status, 0, saved.stderr);
    assert.equal(Math.round((JSON.parse(saved.stdout) as { accuracy: number }).accuracy * 1000), Math.round(Number(m[1]) * 10));
  });
});

interface GanFixture {
  rounds: number;
  discriminatorProgress: number[];
  generatorProgress: number[];
  discriminator: EncodedMap;
  generator: EncodedMap;
  generated: EncodedTensor;
}

test("the README's GAN (the book's next chapter) ends where the book's code ends in PyTorch, and plots both losses", () => {
  const code = examples()[3];
  assert.ok(code, 'a fourth ```ts block under "## The library"');
  assert.match(code, /class Generator extends nn\.Module/);
  const fixture = loadFixture<GanFixture>('gan1010.json');
  // The example as pasted, then lines that print what PyTorch's run recorded (fixtures/torch/make_gan1010.py).
  const probe = '\nconsole.log(`PROBE ${JSON.stringify({ generated: G.forward(tensor([0.5])), d: D.model.stateDict(), g: G.model.stateDict(), dp: D.progress, gp: G.progress })}`);\n';
  run(code + probe, ({ stdout, dir }) => {
    // The README's printed line, as the example's comment gives it, is the tensor's repr (4 decimals).
    const printed = /^tensor\(\[([^\]]*)\], grad_fn=<SigmoidBackward0>\)$/m.exec(stdout);
    assert.ok(printed, stdout);
    const expected = values(fixture.generated).map((v) => v.toFixed(4)).join(', ');
    assert.equal(printed[1], expected);
    assert.match(code, new RegExp(`// tensor\\(\\[${expected.replace(/\./g, '\\.')}\\], grad_fn=<SigmoidBackward0>\\)`), 'the README shows the values PyTorch prints');
    const line = stdout.split('\n').find((l) => l.startsWith('PROBE '));
    assert.ok(line, stdout);
    const got = JSON.parse(line.slice('PROBE '.length)) as { generated: number[]; d: Record<string, unknown>; g: Record<string, unknown>; dp: number[]; gp: number[] };
    // Float32 rounding of the tiny products may differ from PyTorch's in a last bit; 30,000 steps later the
    // values still agree to about 1e-7 (1e-5 allowed here).
    const tol = { rtol: 1e-5, atol: 1e-5 };
    assertClose(got.generated, values(fixture.generated), 'generated', tol);
    assert.equal(got.dp.length, 2 * fixture.rounds / 10);
    assertClose(got.dp, fixture.discriminatorProgress, 'discriminator losses', tol);
    assertClose(got.gp, fixture.generatorProgress, 'generator losses', tol);
    for (const [name, sd, want] of [['discriminator', got.d, fixture.discriminator], ['generator', got.g, fixture.generator]] as const) {
      assert.deepEqual(Object.keys(sd), Object.keys(want), `${name} state_dict keys`);
      for (const [k, e] of Object.entries(want)) assertClose([sd[k]].flat(2) as number[], values(e), `${name} ${k}`, tol);
    }
    for (const png of ['discriminator.png', 'generator.png']) {
      assert.deepEqual([...readFileSync(join(dir, png)).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${png} is a PNG`);
    }
  });
});

test("the README's MNIST GAN trains and saves a grid of generated digits: mostly dark pixels with ink, as MNIST's are", () => {
  const code = examples()[4];
  assert.ok(code, 'a fifth ```ts block under "## The library"');
  assert.match(code, /saveImage\(G\.forward/);
  run(code, ({ dir }) => {
    const png = PNG.sync.read(readFileSync(join(dir, 'generated.png')));
    // Two rows of six 28 × 28 images with torchvision's 2 pixels of padding, each pixel drawn 4 × 4.
    assert.deepEqual([png.width, png.height], [4 * (6 * 30 + 2), 4 * (2 * 30 + 2)]);
    // Inside the twelve images (padding left out): an untrained generator's Sigmoid answers about 0.5 everywhere
    // (no dark pixel); a trained one draws strokes on black, as MNIST's digits are (81% of their pixels 0). Here,
    // after 10,000 rounds: 84.6% dark, 6.7% ink (2,000 rounds: 38.3% dark).
    let dark = 0;
    let ink = 0;
    for (let k = 0; k < 12; k++) {
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const x = 2 + (k % 6) * 30 + c;
          const y = 2 + Math.floor(k / 6) * 30 + r;
          const v = png.data[(4 * y * png.width + 4 * x) * 4]!;
          if (v < 26) dark++;
          if (v > 128) ink++;
        }
      }
    }
    const pixels = 12 * 784;
    assert.ok(dark / pixels > 0.6, `${((dark / pixels) * 100).toFixed(1)}% of the generated pixels are dark`);
    assert.ok(ink / pixels > 0.03, `${((ink / pixels) * 100).toFixed(1)}% of the generated pixels are ink`);
  });
});

test("the README's variational autoencoder step trains: its loss goes down, through rsample and klDivergence", () => {
  const code = examples()[5];
  assert.ok(code, 'a sixth ```ts block under "## The library"');
  assert.match(code, /rsample\(\)/);
  run(code, ({ stdout }) => {
    const m = /ELBO loss (-?[\d.]+) -> (-?[\d.]+)/.exec(stdout);
    assert.ok(m, `printed the losses: ${stdout}`);
    assert.ok(Number(m[2]) < Number(m[1]) * 0.8, `the loss went from ${m[1]} to ${m[2]}`);
  });
});

test("the README's second-derivative example prints a Hessian and trains a gradient penalty down", () => {
  const code = examples()[6];
  assert.ok(code, 'a seventh ```ts block under "## The library"');
  assert.match(code, /createGraph: true/);
  run(code, ({ stdout }) => {
    assert.match(stdout, /^hessian \[\[6,0\],\[0,12\]\]$/m);
    const m = /^gradient penalty (\d+\.\d+) -> (\d+\.\d+)$/m.exec(stdout);
    assert.ok(m, stdout);
    // The README's comment gives the figures: the penalty falls by two orders of magnitude.
    assert.ok(Number(m[2]) < Number(m[1]) / 50, `penalty ${m[1]} -> ${m[2]}`);
  });
});
