/**
 * The model the Draw page opens on, in headless Chromium: when the most accurate saved models cannot be used (NaN
 * or infinite weights), the page passes them over for the next one, says so, and answers with that one.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as nn from '../../src/nn/index.js';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { DIGIT_STROKES, drawStrokes, nextFrames, openPage, skipReason } from './browser-helpers.js';
import { browserLab } from './browser-lab.js';

describe('the Draw page\'s first model (headless Chromium)', { skip: skipReason() }, () => {
  const lab = browserLab((runs) => {
    const folder = join(runs, 'r1');
    mkdirSync(folder, { recursive: true });
    // The two best recorded accuracies, but NaN or infinite weights; then the one that loads, least accurate.
    for (const [file, accuracy, seed, value] of [['model-a', 0.97, 1, Number.NaN], ['model-b', 0.95, 2, Number.POSITIVE_INFINITY], ['model-c', 0.5, 3, 0.01]] as const) {
      const model = withGenerator(new Generator(seed), () => new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()));
      noGrad(() => model.at<nn.Linear>(0).weight.fill_(value));
      saveModel(model, join(folder, `${file}.safetensors`), { variant: file.slice(6), seed, accuracy });
    }
  });

  test('passes over saved models that cannot be used and opens on the best one that can', async () => {
    const { page, errors } = await openPage(lab.context(), `${lab.server().base}/draw`);
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
});
