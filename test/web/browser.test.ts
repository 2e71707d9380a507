/**
 * The lab pages in real headless Chromium against a real server: a live run's chart grows, the finished run is
 * listed, digits drawn with the mouse are recognised by the model that run saved, training in the browser gives
 * Node's losses, a running job can be stopped, and path traversal gets 404. Screenshots of each page go to
 * test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { invocation } from '../../src/cli/invocation.js';
import { PIXEL_SCALE } from '../../src/data/dataset.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { trainRun } from '../../src/lab/trainer.js';
import { findVariant } from '../../src/lab/variants.js';
import type { Module } from '../../src/nn/module.js';
import { readModel } from '../../src/nn/serialize.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { browserTrainingVerdict, bundlePages, digitShape, DIGIT_STROKES, drawStrokes, launchChromium, openPage, screenshotPath, skipReason, nextFrames, touchStrokes } from './browser-helpers.js';
import { listen, postJson, tempDir, type Listening } from './helpers.js';

/**
 * Steps of the live run: enough for the combined variant to read drawn digits (about 95% on MNIST's test set), and
 * enough time (several seconds even with the fast kernels) for a second job to be queued behind it.
 */
const TRAIN_IMAGES = 20000;

describe('the lab in headless Chromium', { skip: skipReason() }, () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  let s: Listening;
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  let browser: BrowserContext;
  let runFolder = '';

  before(async () => {
    bundlePages();
    s = await listen({ runsDir: runs });
    chromium = await launchChromium();
    browser = chromium.context;
  });
  after(async () => {
    await chromium?.close();
    await s?.close();
    rmSync(base, { recursive: true, force: true });
  });

  const open = (path: string): Promise<{ page: Page; errors: string[] }> => openPage(browser, s.base + path);

  test('a run started from the Train page shows live on the Runs page, its chart growing, then is listed', async () => {
    const train = await open('/train');
    const live = await open('/runs');
    assert.equal(await live.page.locator('#live').isHidden(), true, 'nothing trains yet');
    // The page acted on or watched is brought to front (see `open`).
    await train.page.bringToFront();
    await train.page.uncheck('input[value=baseline]');
    await train.page.check('input[value=combined]');
    await train.page.fill('input[name=trainLimit]', String(TRAIN_IMAGES));
    await train.page.fill('input[name=testLimit]', '1000');
    await train.page.click('#start');
    await train.page.locator('#notice', { hasText: 'Job 1: Training started.' }).waitFor();

    // A second job waits in line with a clear message, and can be cancelled before it starts.
    await train.page.check('input[value=baseline]');
    await train.page.uncheck('input[value=combined]');
    await train.page.click('#start');
    await train.page.locator('#notice', { hasText: 'queued (position 1)' }).waitFor();
    await train.page.locator('article.job[data-job="2"] .badge', { hasText: 'queued (#1)' }).waitFor();
    await train.page.click('article.job[data-job="2"] button[data-action=stop]');
    await train.page.locator('article.job[data-job="2"][data-status=cancelled]').waitFor();

    await live.page.bringToFront();
    const chart = live.page.locator('#live article.job[data-job="1"] .live-chart');
    const points = (n: number): Promise<unknown> => live.page.waitForFunction((min) => Number(document.querySelector('#live article.job[data-job="1"] .live-chart')?.getAttribute('data-points') ?? 0) >= min, n, { polling: 100, timeout: 90_000 });
    await points(5);
    const first = Number(await chart.getAttribute('data-points'));
    const dotsFirst = await chart.locator('circle').count();
    await points(first + 20);
    assert.ok((await chart.locator('circle').count()) > dotsFirst, 'more dots are drawn as the run goes');
    assert.equal(await chart.locator('path.smooth').count(), 1, 'one smoothed curve for the one run');
    const stats = await live.page.locator('#live article.job[data-job="1"] .live-run .stats').textContent();
    assert.match(stats ?? '', /^\d+% · [\d,]+ samples\/s · ETA .+ · loss \d\.\d{4}$/);
    await live.page.screenshot({ path: screenshotPath('runs-live.png'), fullPage: true });
    await train.page.screenshot({ path: screenshotPath('train-live.png'), fullPage: true });

    await live.page.locator('#live article.job[data-job="1"][data-status=done]').waitFor({ timeout: 150_000 });
    const job = s.queue.get('1')!;
    runFolder = job.runFolder!;
    assert.ok(job.runs[0]!.accuracy! > 0.85, `combined on ${TRAIN_IMAGES} images reached ${job.runs[0]!.accuracy}`);
    // The page swaps in the new run list by itself.
    const card = live.page.locator(`#run-list article.run[data-run="${runFolder}"]`);
    await card.waitFor();
    assert.match((await card.locator('table.summary').textContent()) ?? '', /combined.*LeakyReLU \+ LayerNorm \+ BCE \+ Adam/);
    // One variant: its own plot (a folder of one variant has no "all variants" plot).
    assert.equal(await card.locator('img').getAttribute('src'), `/files/${runFolder}/loss-combined.png`);
    assert.equal(live.errors.length + train.errors.length, 0, [...live.errors, ...train.errors].join('\n'));
    await live.page.close();
    await train.page.close();

    const fresh = await open('/runs');
    await fresh.page.locator(`article.run[data-run="${runFolder}"] img`).evaluate((img: HTMLImageElement) => img.decode());
    assert.equal(await fresh.page.locator(`article.run[data-run="${runFolder}"] a`, { hasText: 'model-combined-s0.safetensors' }).count(), 1);
    await fresh.page.screenshot({ path: screenshotPath('runs.png'), fullPage: true });
    // At a phone's width every page fits: a run's table scrolls inside its card, its command and file names wrap.
    await fresh.page.setViewportSize({ width: 375, height: 812 });
    for (const path of ['/runs', '/train', '/draw']) {
      await fresh.page.goto(s.base + path);
      const widths = await fresh.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(widths[0]! <= widths[1]!, `${path} at 375 px: the page is ${widths[0]} px wide`);
    }
    await fresh.page.goto(s.base + '/runs');
    // The accuracy is on screen, not in the part of the table that scrolls sideways: "what changed" moved under the name.
    const acc = fresh.page.locator(`article.run[data-run="${runFolder}"] table.summary td.acc`).first();
    const right = await acc.evaluate((el) => el.getBoundingClientRect().right);
    assert.ok(right <= 375, `the accuracy ends at ${right} px`);
    assert.equal(await fresh.page.locator(`article.run[data-run="${runFolder}"] table.summary td.what`).first().isVisible(), false);
    await fresh.page.screenshot({ path: screenshotPath('runs-narrow.png') });
    await fresh.page.close();
  });

  test('digits drawn with the mouse (and a finger) look like MNIST after preprocessing and are read right, as Node reads them', async () => {
    assert.ok(runFolder !== '', 'needs the model of the previous test');
    const modelPath = join(runs, runFolder, 'model-combined-s0.safetensors');
    const { page, errors } = await open('/draw');
    await page.locator(`#model[data-loaded="${runFolder}/model-combined-s0.safetensors"]`).waitFor();
    const node = readModel(modelPath);
    for (const digit of [0, 1, 7]) {
      await page.click('#clear');
      await drawStrokes(page, DIGIT_STROKES[digit]!);
      await nextFrames(page);
      const pixels = ((await page.locator('#preview').getAttribute('data-pixels')) ?? '').split(',').map(Number);
      assert.equal(pixels.length, 784);
      const shape = digitShape(pixels);
      assert.ok(Math.max(shape.width, shape.height) === 20 && Math.min(shape.width, shape.height) >= 2, `digit ${digit}: fits 20 × 20 as in MNIST (${shape.width} × ${shape.height})`);
      assert.ok(Math.abs(shape.cx - 14) <= 1 && Math.abs(shape.cy - 14) <= 1, `digit ${digit}: centred by mass (${shape.cx.toFixed(2)}, ${shape.cy.toFixed(2)})`);
      assert.ok(shape.inked > 40 && shape.inked < 300, `digit ${digit}: ${shape.inked} inked pixels, a stroke as thick as MNIST's`);
      assert.equal(await page.locator('#prediction').getAttribute('data-digit'), String(digit), `the drawn ${digit} is read as ${digit}`);
      const bars = await page.locator('#bars .row').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset['p'])));
      const x = Float32Array.from(pixels, (b) => PIXEL_SCALE[b]!);
      const out = noGrad(() => node.model.forward(new Tensor(x, [1, 784])).values());
      bars.forEach((p, d) => assert.ok(Math.abs(p - out[d]!) <= 1e-6, `digit ${digit}, output ${d}: browser ${p}, Node ${out[d]}`));
      await page.screenshot({ path: screenshotPath(`draw-${digit}.png`), fullPage: true });
    }
    // With a finger: the same pad, through touch events, and the page does not scroll under the stroke.
    await page.click('#clear');
    await touchStrokes(page, DIGIT_STROKES[7]!);
    await nextFrames(page);
    assert.equal(await page.locator('#prediction').getAttribute('data-digit'), '7', 'a 7 drawn with a finger');
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('training in a Web Worker (WebAssembly kernels) gives the first-epoch losses Node gives for the same seed', async () => {
    const { page, errors } = await open('/draw');
    await page.selectOption('#bt-variant', 'adam');
    await page.fill('#bt-images', '400');
    await page.fill('#bt-test', '200');
    await page.fill('#bt-seed', '3');
    await page.click('#bt-start');
    const verdict = await browserTrainingVerdict(page, errors);
    assert.equal(await verdict.getAttribute('data-compared'), '40', '400 steps record 40 losses');
    const maxDiff = Number(await verdict.getAttribute('data-max-diff'));
    assert.ok(maxDiff <= 1e-6, `largest difference ${maxDiff}`);
    assert.match((await verdict.textContent()) ?? '', /^Same losses as Node: all 40 recorded values are bit-identical\.$/, 'the WebAssembly kernels in both: the same bits');
    // The browser trained with the WebAssembly kernels, and Node too (the page is also cross-origin isolated).
    assert.match((await page.locator('#bt-result').textContent()) ?? '', /Browser: .*\(WebAssembly SIMD kernels\)\. Node: .*\(WebAssembly SIMD kernels\)/);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const wasm = await page.request.get(`${s.base}/assets/kernels.wasm`);
    assert.equal(wasm.headers()['content-type'], 'application/wasm');
    // The page runs the native build instead where the core takes subnormals at full speed (the same bits).
    const native = await page.request.get(`${s.base}/assets/kernels-native.wasm`);
    assert.equal(native.status(), 200);
    assert.equal(native.headers()['content-type'], 'application/wasm');

    // The model trained in the browser joins the Draw picker and reads a drawing exactly as the same training in
    // Node gives it (bit-identical training, so the same weights).
    const picked = await page.locator('#model').evaluate((el: HTMLSelectElement) => ({ value: el.value, loaded: el.dataset['loaded'], text: el.selectedOptions[0]?.textContent ?? '' }));
    assert.equal(picked.value, 'browser:1');
    assert.match(picked.text, /^adam s3 — \d+\.\d\d% of 200 test images · trained in this browser on 400 images$/);
    await page.locator('#model[data-loaded="browser:1"]').waitFor();
    await drawStrokes(page, DIGIT_STROKES[7]!);
    await nextFrames(page);
    const pixels = ((await page.locator('#preview').getAttribute('data-pixels')) ?? '').split(',').map(Number);
    const bars = await page.locator('#bars .row').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset['p'])));
    const v = findVariant('adam')!;
    let nodeModel: Module | undefined;
    const spec = { variant: v.name, label: v.label, config: v.config, seed: 3, epochs: 1, batchSize: 1, trainLimit: 400, testLimit: 200 };
    trainRun(spec, loadEmbeddedMnist('train'), loadEmbeddedMnist('test'), { onModel: (m) => (nodeModel = m) });
    const out = noGrad(() => nodeModel!.forward(new Tensor(Float32Array.from(pixels, (b) => PIXEL_SCALE[b]!), [1, 784])).values());
    bars.forEach((p, d) => assert.equal(p, out[d], `output ${d}: browser ${p}, Node ${out[d]}`));
    await page.screenshot({ path: screenshotPath('draw-train-in-browser.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the Stop button ends a running job and keeps its checkpoint', async () => {
    // Long enough (30 epochs, minutes) that it cannot end by itself before the click, however busy the machine.
    const posted = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 30 });
    assert.equal(posted.status, 202);
    const id = (posted.body['job'] as { id: string }).id;
    const { page, errors } = await open('/train');
    const card = page.locator(`article.job[data-job="${id}"]`);
    await page.waitForFunction((j) => Number(document.querySelector(`article.job[data-job="${j}"] .live-chart`)?.getAttribute('data-points') ?? 0) > 0, id, { polling: 100, timeout: 90_000 });
    await card.locator('button[data-action=stop]').click();
    try {
      await page.locator(`article.job[data-job="${id}"][data-status=stopped]`).waitFor({ timeout: 60_000 });
    } catch (err) {
      const job = s.queue.get(id);
      throw new Error(`job ${id} not shown stopped: server says ${job?.status} (${job?.message ?? ''}); page shows "${await card.textContent()}"; page errors: ${errors.join('; ')}`, { cause: err });
    }
    const shown = (await card.textContent()) ?? '';
    assert.ok(shown.includes(`continue with: ${invocation()} reproduce --resume`), shown);
    const folder = s.queue.get(id)!.runFolder!;
    assert.ok(existsSync(join(runs, folder, 'checkpoint-baseline-s0.safetensors')));
    await page.screenshot({ path: screenshotPath('train.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('path traversal through the real server gets 404 in the browser too', async () => {
    writeFileSync(join(base, 'secret.txt'), 'the secret');
    symlinkSync(join(base, 'secret.txt'), join(runs, runFolder, 'leak.json'));
    const page = await browser.newPage();
    for (const path of ['/files/..%2fsecret.txt', `/files/${runFolder}%2f..%2f..%2fsecret.txt`, '/files/%2e%2e/secret.txt', '/files/..%5c..%5csecret.txt', `/files/${runFolder}/leak.json`, '/files/%2fetc%2fpasswd']) {
      const res = await page.goto(s.base + path);
      assert.equal(res?.status(), 404, path);
      assert.ok(!((await page.content()).includes('the secret')), path);
    }
    const ok = await page.goto(`${s.base}/files/${runFolder}/report.html`);
    assert.equal(ok?.status(), 200);
    await page.screenshot({ path: screenshotPath('report.png') });
    await page.goto(`${s.base}/no/such/page`);
    await page.screenshot({ path: screenshotPath('not-found.png') });
    await page.close();
  });
});
