/**
 * Pages while the server is stopped and started again on the same port, in headless Chromium: the Train page says
 * what to do when its job cannot be sent, and the Draw page loads the model it could not fetch once the server is back.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import * as nn from '../../src/nn/index.js';
import { saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { UNREACHABLE } from '../../src/web/client/lab-fetch.js';
import { bundlePages, launchChromium, openPage, skipReason, watchErrors } from './browser-helpers.js';
import { manualExecutor } from './fake-executor.js';
import { listen, tempDir, type Listening } from './helpers.js';

/**
 * The browser's own line for each request the stopped server refused, or that reached it while it closed (a request
 * on a kept-alive connection then gets 503): expected here, unlike a script error.
 */
const refused = (errors: readonly string[]): string[] => errors.filter((e) => !/ERR_CONNECTION_REFUSED|status of 503 \(Service Unavailable\)/.test(e));

describe('pages while the server is away (headless Chromium)', { skip: skipReason() }, () => {
  const runsDir = join(tempDir(), 'runs');
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  let server: Listening | undefined;
  const start = async (port = 0): Promise<Listening> => (server = await listen({ runsDir, executor: manualExecutor().executor }, port));

  before(async () => {
    const folder = join(runsDir, 'r1');
    mkdirSync(folder, { recursive: true });
    for (const [file, accuracy, seed] of [['model-a', 0.9, 1], ['model-b', 0.8, 2]] as const) {
      const model = withGenerator(new Generator(seed), () => new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()));
      saveModel(model, join(folder, `${file}.safetensors`), { variant: file.slice(6), seed, accuracy });
    }
    bundlePages();
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await server?.close();
  });

  test('Train: a job that cannot be sent says the server is not answering and what to do, in a sentence', async () => {
    const { port, base } = await start();
    const { page, errors } = await openPage(chromium!.context, `${base}/train`);
    await server!.close();
    await page.locator('#server-offline:not([hidden])').waitFor({ timeout: 10_000 });
    await page.click('#start');
    const notice = page.locator('#notice.error');
    await notice.waitFor();
    assert.equal(
      await notice.textContent(),
      'The server is not answering (was it stopped?), so the job was not sent. Start the server again in its terminal, then press Start training again: this page reconnects by itself.',
    );
    await start(port);
    await page.locator('#server-offline').waitFor({ state: 'hidden', timeout: 15_000 });
    assert.deepEqual(refused(errors), []);
    await page.close();
    await server!.close();
  });

  test('Draw: a model that could not be fetched while the server was away is loaded when it is back', async () => {
    const { port, base } = await start();
    const { page, errors } = await openPage(chromium!.context, `${base}/draw`);
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    await server!.close();
    await page.locator('#server-offline:not([hidden])').waitFor({ timeout: 10_000 });
    await page.selectOption('#model', 'r1/model-b.safetensors');
    const notice = page.locator('#notice.warn');
    await notice.waitFor();
    assert.equal(
      await notice.textContent(),
      'The server is not answering (was it stopped?), so r1/model-b.safetensors cannot be loaded yet. Start the server again in its terminal: this page loads the model when it is back.',
    );
    assert.equal(await page.locator('#model').getAttribute('data-loaded'), null, 'no model answers meanwhile');
    await start(port);
    await page.locator('#model[data-loaded="r1/model-b.safetensors"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#server-offline').isHidden(), true, 'the banner goes when the server is back');
    assert.equal(await notice.isHidden(), true, 'the notice goes with the model loaded');
    assert.deepEqual(refused(errors), []);
    await page.close();
    await server!.close();
  });

  test('Draw: a picker that could not be filled is filled, and the best model opened, when the server is back', async () => {
    const { port, base } = await start();
    const page = await chromium!.context.newPage();
    const errors = watchErrors(page);
    // The list of models fails as it does with the server away (the page itself still loads).
    await page.route('**/api/models', (route) => route.abort('connectionrefused'));
    await page.goto(`${base}/draw`);
    await page.locator('#model option', { hasText: 'Cannot list the models' }).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#notice.error').textContent(), UNREACHABLE);
    await server!.close();
    await page.locator('#server-offline:not([hidden])').waitFor({ timeout: 10_000 });
    await page.unroute('**/api/models');
    await start(port);
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(await page.locator('#model option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['r1/model-a.safetensors', 'r1/model-b.safetensors']);
    assert.deepEqual(refused(errors), []);
    await page.close();
    await server!.close();
  });
});
