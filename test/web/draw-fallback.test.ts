/**
 * The model the Draw page opens on, in headless Chromium: when the most accurate saved model cannot be used (NaN
 * weights), the page passes it over for the next one, says so, and answers with that one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as nn from '../../src/nn/index.js';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { bundlePages, DIGIT_STROKES, drawStrokes, launchChromium, nextFrames, openPage, skipReason } from './browser-helpers.js';
import { manualExecutor } from './fake-executor.js';
import { listen, tempDir, type Listening } from './helpers.js';

const base = tempDir();
const runs = join(base, 'runs');
let s: Listening | undefined;
let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;

before(async () => {
  if (skipReason() !== false) return;
  const folder = join(runs, 'r1');
  mkdirSync(folder, { recursive: true });
  const make = (seed: number): nn.Sequential => withGenerator(new Generator(seed), () => new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()));
  // The two best recorded accuracies, but NaN or infinite weights; then the one that loads, least accurate.
  for (const [file, accuracy, seed, value] of [['model-a', 0.97, 1, Number.NaN], ['model-b', 0.95, 2, Number.POSITIVE_INFINITY], ['model-c', 0.5, 3, 0.01]] as const) {
    const model = make(seed);
    noGrad(() => model.at<nn.Linear>(0).weight.fill_(value));
    saveModel(model, join(folder, `${file}.safetensors`), { variant: file.slice(6), seed, accuracy });
  }
  bundlePages();
  s = await listen({ runsDir: runs, executor: manualExecutor().executor });
  chromium = await launchChromium();
});

after(async () => {
  await chromium?.close();
  await s?.close();
  rmSync(base, { recursive: true, force: true });
});

test('the Draw page passes over saved models that cannot be used and opens on the best one that can', { skip: skipReason() }, async () => {
  const { page, errors } = await openPage(chromium!.context, `${s!.base}/draw`);
  await page.locator('#model[data-loaded="r1/model-c.safetensors"]').waitFor();
  const notice = page.locator('#notice');
  assert.equal(await notice.getAttribute('class'), 'notice warn');
  assert.equal(await notice.textContent(), 'Passed over r1/model-a.safetensors, r1/model-b.safetensors, which cannot be used (pick one to see why); showing r1/model-c.safetensors.');
  assert.equal(await page.locator('#model').inputValue(), 'r1/model-c.safetensors');
  await drawStrokes(page, DIGIT_STROKES[7]!);
  await nextFrames(page);
  assert.match((await page.locator('#prediction').textContent()) ?? '', /^The model says\d\(\d+\.\d%\)$/);
  // Picking a passed-over model says why it cannot be used.
  await page.selectOption('#model', 'r1/model-a.safetensors');
  await page.locator('#notice', { hasText: 'Cannot use r1/model-a.safetensors' }).waitFor();
  assert.match((await notice.textContent()) ?? '', /NaN/);
  assert.deepEqual(await page.locator('#model option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['r1/model-a.safetensors', 'r1/model-b.safetensors', 'r1/model-c.safetensors']);
  assert.deepEqual(errors, []);
  await page.close();
});
