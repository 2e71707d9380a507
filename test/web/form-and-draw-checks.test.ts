/**
 * What the Train form sends and what the Draw page shows, in headless Chromium against a real server: a number
 * field whose text is not a number (or out of range) stops the form with a message naming it instead of becoming
 * the server's default; a model that fails to load leaves no earlier answer on screen; a click or a tap draws a
 * dot, which is what gets classified; and a blank drawing is never classified.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import * as nn from '../../src/nn/index.js';
import { saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { browserTrainingVerdict, bundlePages, DIGIT_STROKES, drawStrokes, launchChromium, nextFrames, openPage, screenshotPath, skipReason, touchStrokes, watchErrors } from './browser-helpers.js';
import { manualExecutor, settle, type ManualJob } from './fake-executor.js';
import { listen, tempDir, type Listening } from './helpers.js';

describe('Train form checks and the Draw page in headless Chromium', { skip: skipReason() }, () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  const folder = join(runs, 'r1');
  let s: Listening;
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  let browser: BrowserContext;
  const manual = manualExecutor();

  before(async () => {
    mkdirSync(folder, { recursive: true });
    // Untrained models are enough: the page shows whatever they answer. The most accurate one is chosen first.
    for (const [file, accuracy, seed] of [['model-a.safetensors', 0.9, 1], ['model-b.safetensors', 0.5, 2], ['model-c.safetensors', 0.4, 3]] as const) {
      const model = withGenerator(new Generator(seed), () => new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()));
      saveModel(model, join(folder, file), { variant: file.slice(6, 7), seed, accuracy });
    }
    bundlePages();
    s = await listen({ runsDir: runs, executor: manual.executor });
    chromium = await launchChromium();
    browser = chromium.context;
  });
  after(async () => {
    await chromium?.close();
    await s?.close();
    rmSync(base, { recursive: true, force: true });
  });

  const open = (path: string): Promise<{ page: Page; errors: string[] }> => openPage(browser, s.base + path);

  /** Types `text` into a number field key by key (`fill` refuses text that is not a number). */
  async function typeInto(page: Page, name: string, text: string): Promise<void> {
    const input = page.locator(`input[name=${name}]`);
    await input.fill('');
    await input.pressSequentially(text);
  }

  async function submitExpectingError(page: Page, pattern: RegExp): Promise<void> {
    await page.click('#start');
    const el = page.locator('#notice');
    await el.waitFor();
    assert.equal(await el.getAttribute('class'), 'notice error');
    assert.match((await el.textContent()) ?? '', pattern);
    assert.equal(s.queue.list().length, 0, 'no job was started');
  }

  /** The message under the focused field, linked to it by aria-describedby, marked invalid; and its text. */
  async function fieldMessage(page: Page): Promise<{ name: string; text: string; onScreen: boolean; underField: boolean }> {
    return page.evaluate(() => {
      const field = document.activeElement as HTMLInputElement;
      const note = document.getElementById(field.getAttribute('aria-describedby') ?? '');
      if (field.getAttribute('aria-invalid') !== 'true' || note === null) throw new Error(`${field.name}: not marked, or no message linked`);
      const box = note.getBoundingClientRect();
      const at = field.getBoundingClientRect();
      // Under the field, in its column: starts below it, and begins where the field does.
      const underField = box.top >= at.bottom - 1 && box.top - at.bottom < 24 && Math.abs(box.left - at.left) < 2;
      return { name: field.name, text: note.textContent ?? '', onScreen: box.top >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth, underField };
    });
  }

  test('the Train form refuses number fields that are not numbers, or out of range, naming the field', async () => {
    const { page, errors } = await open('/train');
    await typeInto(page, 'trainLimit', '1e');
    assert.equal(await page.locator('input[name=trainLimit]').evaluate((el: HTMLInputElement) => el.validity.badInput && el.value === ''), true, 'the browser reads "1e" as a blank field');
    await submitExpectingError(page, /^Training images: what is typed there is not a number\. .*Nothing was started\.$/);
    assert.equal(await page.locator('input[name=trainLimit]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'trainLimit');
    await page.fill('input[name=trainLimit]', '100');

    await typeInto(page, 'epochs', '--2');
    await submitExpectingError(page, /^Epochs: what is typed there is not a number\. Type digits only, such as 1\./);
    await page.fill('input[name=epochs]', '0');
    await submitExpectingError(page, /^Epochs: at least 1, got 0\./);
    await page.fill('input[name=epochs]', '1.5');
    await submitExpectingError(page, /^Epochs: a whole number, please \(got 1\.5\)\./);
    await page.fill('input[name=testLimit]', '-3');
    await page.fill('input[name=epochs]', '2');
    await submitExpectingError(page, /^Test images: at least 1, got -3\./);
    await page.fill('input[name=testLimit]', '');

    // Several fields wrong at once: each is marked under it, the first one on the page has the focus, and the notice
    // counts the others.
    const marked = (): Promise<string[]> => page.locator('[aria-invalid=true]').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).name));
    await page.fill('input[name=seeds]', 'abc');
    await page.fill('input[name=epochs]', '0');
    await page.fill('input[name=testLimit]', '-3');
    await submitExpectingError(page, /^Seeds: seed "abc" is not a non-negative integer\. 2 more fields need fixing too, each marked under it\. Nothing was started\.$/);
    assert.deepEqual(await page.locator('.field-error').allTextContents(), ['Seeds: seed "abc" is not a non-negative integer.', 'Epochs: at least 1, got 0.', 'Test images: at least 1, got -3.']);
    assert.deepEqual(await marked(), ['seeds', 'epochs', 'testLimit']);
    const first = await fieldMessage(page);
    assert.deepEqual([first.name, first.underField], ['seeds', true], 'the first one has the focus');
    await page.fill('input[name=epochs]', '2');
    assert.deepEqual(await marked(), ['seeds', 'testLimit'], 'fixing one field clears its own mark only');
    await page.fill('input[name=seeds]', '0');
    await submitExpectingError(page, /^Test images: at least 1, got -3\. Nothing was started\.$/);
    assert.deepEqual(await marked(), ['testLimit']);
    await page.fill('input[name=testLimit]', '');

    // The server's limits and seed rules are checked here too, with its words, under the field.
    await page.fill('input[name=epochs]', '150');
    await submitExpectingError(page, /^Epochs: at most 100, got 150\. Nothing was started\.$/);
    assert.deepEqual(await fieldMessage(page), { name: 'epochs', text: 'Epochs: at most 100, got 150.', onScreen: true, underField: true });
    // The message describes the field without joining its name.
    assert.equal(await page.getByRole('spinbutton', { name: "Epochs (blank: 3, the chapter's)", exact: true }).count(), 1);
    await page.fill('input[name=epochs]', '2');
    assert.equal(await page.locator('.field-error').count(), 0, 'changing the field clears its message');
    assert.equal(await page.locator('input[name=epochs]').getAttribute('aria-describedby'), null);
    await page.fill('input[name=seeds]', 'abc');
    await submitExpectingError(page, /^Seeds: seed "abc" is not a non-negative integer\. Nothing was started\.$/);
    assert.deepEqual(await fieldMessage(page), { name: 'seeds', text: 'Seeds: seed "abc" is not a non-negative integer.', onScreen: true, underField: true });
    await page.fill('input[name=seeds]', '0,1,2,3,4,5,6,7,8,9,10');
    await submitExpectingError(page, /^Seeds: at most 10 on this server, got 11\. Nothing was started\.$/);
    await page.evaluate(() => document.querySelectorAll<HTMLInputElement>('input[name=variant]').forEach((c) => { c.checked = true; }));
    const all = await page.locator('input[name=variant]').count();
    await page.fill('input[name=seeds]', '0,1,2,3,4,5,6,7,8,9');
    await submitExpectingError(page, new RegExp(`^Seeds: ${all} variants × 10 seeds make ${all * 10} runs, at most 64 on this server\\. Nothing was started\\.$`));
    await page.evaluate(() => document.querySelectorAll<HTMLInputElement>('input[name=variant]').forEach((c) => { c.checked = false; }));
    await page.fill('input[name=seeds]', '0');
    await submitExpectingError(page, /^Pick at least one variant\. Nothing was started\.$/);
    const variant = await fieldMessage(page);
    assert.deepEqual([variant.name, variant.text, variant.onScreen], ['variant', 'Pick at least one variant.', true]);
    await page.locator('input[name=variant][value=baseline]').check();
    assert.equal(await page.locator('.field-error').count(), 0, 'ticking a variant clears the message');

    // What only the server refuses is said with the form's name for the field, under it, also on a phone's screen,
    // where the notice at the top is out of sight.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('input[name=mode][value=custom]').check();
    await page.fill('input[name=activation]', 'swish');
    await page.locator('#start').scrollIntoViewIfNeeded();
    await page.click('#start');
    await page.locator('.field-error').waitFor();
    const refused = await fieldMessage(page);
    assert.deepEqual([refused.name, refused.onScreen], ['activation', true]);
    await page.screenshot({ path: screenshotPath('train-refused-phone.png') });
    assert.match(refused.text, /^Hidden activation: expected sigmoid, .*got "swish"/);
    assert.match((await page.locator('#notice').textContent()) ?? '', /^Hidden activation: expected .* Nothing was started\.$/);
    assert.equal(s.queue.list().length, 0, 'no job was started');
    await page.fill('input[name=activation]', 'sigmoid');
    await page.locator('input[name=mode][value=variants]').check();
    await page.setViewportSize({ width: 1200, height: 900 });
    // A blank Seeds field means seed 0, and its label says so, as the other fields' labels do.
    assert.match((await page.locator('label', { has: page.locator('input[name=seeds]') }).textContent()) ?? '', /^Seeds \(blank: 0\)$/);
    // A select the server refused (the loss, for one) is cleared on the next submit as the text boxes are.
    await page.evaluate(() => document.querySelector('select')!.setAttribute('aria-invalid', 'true'));

    // Blank Epochs is allowed, and its label says what it means, as the other fields' labels do.
    assert.match((await page.locator('label', { has: page.locator('input[name=epochs]') }).textContent()) ?? '', /^Epochs \(blank: 3, the chapter's\)$/);
    await page.click('#start');
    await page.locator('#notice', { hasText: 'Job 1: Training started.' }).waitFor();
    assert.match(s.queue.get('1')!.title, /· 2 epochs · 100 images/);
    assert.equal(await page.locator('input[name=trainLimit]').getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('select[aria-invalid]').count(), 0);
    // The browser logs the refused request (400) itself; nothing else went wrong.
    assert.deepEqual(errors.filter((m) => !m.includes('status of 400')), []);
    await page.close();
  });

  async function answerShown(page: Page): Promise<{ digit: string | null; text: string; pcts: string[]; note: string }> {
    await nextFrames(page);
    return {
      digit: await page.locator('#prediction').getAttribute('data-digit'),
      text: (await page.locator('#prediction').textContent()) ?? '',
      pcts: await page.locator('#bars .pct').allTextContents(),
      note: (await page.locator('#bars-note').textContent()) ?? '',
    };
  }

  function assertNoAnswer(shown: { digit: string | null; text: string; pcts: string[]; note: string }, when: string): void {
    assert.equal(shown.digit, null, `${when}: no digit`);
    assert.doesNotMatch(shown.text, /The model says/, `${when}: no answer`);
    assert.deepEqual(shown.pcts, Array(10).fill('–'), `${when}: empty bars`);
    assert.equal(shown.note, '', `${when}: no note about the bars`);
  }

  test('"Train in this browser" refuses a seed that is not a number or is blank, instead of training seed 0', async () => {
    const { page, errors } = await open('/draw');
    for (const text of ['1e', '']) {
      const seed = page.locator('#bt-seed');
      await seed.fill('');
      if (text !== '') await seed.pressSequentially(text);
      await page.click('#bt-start');
      const verdict = page.locator('#bt-status .verdict.bad');
      await verdict.waitFor();
      assert.match((await verdict.textContent()) ?? '', /^Seed: a whole number from 0 to 4294967295, please/, JSON.stringify(text));
      assert.equal(await page.locator('#bt-chart').innerHTML(), '', 'nothing was trained');
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the model picker can be stepped through with the arrow keys: it keeps the focus while a model loads', async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    await drawStrokes(page, DIGIT_STROKES[7]!);
    const values = await page.locator('#model option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const at = values.indexOf('r1/model-a.safetensors');
    assert.ok(at >= 0 && at + 2 < values.length, `two models after model-a in ${JSON.stringify(values)}`);
    await page.focus('#model');
    for (const step of [1, 2]) {
      await page.keyboard.press('ArrowDown');
      const path = values[at + step]!;
      await page.locator(`#model[data-loaded="${path}"]`).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'model', `the picker keeps the focus after step ${step}`);
      assert.match((await answerShown(page)).text, /^The model says\d\(\d+\.\d%\)$/, `${path} answers the drawing`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a model that fails to load (deleted, or truncated) leaves no earlier model's answer on the Draw page", async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    await drawStrokes(page, DIGIT_STROKES[7]!);
    assert.match((await answerShown(page)).text, /^The model says\d\(\d+\.\d%\)$/);

    rmSync(join(folder, 'model-b.safetensors'));
    await page.selectOption('#model', 'r1/model-b.safetensors');
    await page.locator('#notice', { hasText: 'Cannot use r1/model-b.safetensors' }).waitFor();
    const deleted = await answerShown(page);
    assertNoAnswer(deleted, 'deleted model');
    assert.match(deleted.text, /Pick a model that loads/);

    // Back to a good model: the same drawing is answered again.
    await page.selectOption('#model', 'r1/model-a.safetensors');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    assert.notEqual((await answerShown(page)).digit, null);

    const c = join(folder, 'model-c.safetensors');
    writeFileSync(c, readFileSync(c).subarray(0, 2000));
    await page.selectOption('#model', 'r1/model-c.safetensors');
    await page.locator('#notice', { hasText: 'Cannot use r1/model-c.safetensors' }).waitFor();
    assertNoAnswer(await answerShown(page), 'truncated model');
    // The 404 of the deleted file is the browser's console error; nothing else.
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
    await page.close();
  });

  test('a click or a tap on the Draw pad draws a dot, which is classified; a blank drawing never is', async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    const box = (await page.locator('#pad').boundingBox())!;
    const inked = async (): Promise<number> => ((await page.locator('#preview').getAttribute('data-pixels')) ?? '').split(',').filter((v) => Number(v) > 0).length;
    const padWhiteAt = (x: number, y: number): Promise<boolean> =>
      page.locator('#pad').evaluate((c: HTMLCanvasElement, [px, py]) => c.getContext('2d')!.getImageData(px!, py!, 1, 1).data[0] === 255, [x, y]);

    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const clicked = await answerShown(page);
    assert.equal(await padWhiteAt(140, 140), true, 'a click leaves a dot on the pad');
    assert.ok((await inked()) > 0, 'the model sees the dot');
    assert.notEqual(clicked.digit, null, 'the dot is classified');

    await page.click('#clear');
    await touchStrokes(page, [[[60, 200]]]);
    const tapped = await answerShown(page);
    assert.equal(await padWhiteAt(60, 200), true, 'a tap leaves a dot on the pad');
    assert.ok((await inked()) > 0, 'the model sees the dot');
    assert.notEqual(tapped.digit, null);

    // A stroke that leaves no ink on the pad (it starts outside it; only a script can do that) is not classified.
    await page.click('#clear');
    await page.locator('#pad').evaluate((c: HTMLCanvasElement) => {
      c.setPointerCapture = () => {};
      const at = { button: 0, pointerId: 7, clientX: -1000, clientY: -1000, bubbles: true };
      c.dispatchEvent(new PointerEvent('pointerdown', at));
      c.dispatchEvent(new PointerEvent('pointerup', at));
    });
    const blank = await answerShown(page);
    assert.equal(await inked(), 0);
    assertNoAnswer(blank, 'blank drawing');
    assert.equal(blank.text, 'Draw a digit to see what the model answers.');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a second finger on the Draw pad (a resting palm) draws nothing while the first draws its stroke', async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    const box = (await page.locator('#pad').boundingBox())!;
    const at = (x: number, y: number, id: number): { x: number; y: number; id: number } => ({ x: box.x + (x * box.width) / 280, y: box.y + (y * box.height) / 280, id });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(140, 40, 1)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(140, 40, 1), at(40, 250, 2)] });
    for (let y = 50; y <= 240; y += 10) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(140, y, 1), at(40, 250, 2)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    await answerShown(page);
    // White pixels in a column band: the stroke's (x 120–160) and the band between the two fingers (x 60–110).
    const inkIn = (x0: number, x1: number): Promise<number> => page.locator('#pad').evaluate((c: HTMLCanvasElement, [a, b]) => {
      const d = c.getContext('2d')!.getImageData(0, 0, 280, 280).data;
      let n = 0;
      for (let y = 60; y < 230; y++) for (let x = a!; x < b!; x++) if (d[(y * 280 + x) * 4]! > 128) n++;
      return n;
    }, [x0, x1]);
    assert.ok((await inkIn(120, 160)) > 1000, 'the first finger draws its stroke');
    assert.equal(await inkIn(60, 110), 0, 'no line joins the two fingers');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Clear pressed from the keyboard in the middle of a stroke: the rest of the stroke is classified', async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    const box = (await page.locator('#pad').boundingBox())!;
    await page.focus('#clear');
    await page.mouse.move(box.x + 140, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + 120, { steps: 5 });
    await page.keyboard.press('Enter');
    await page.mouse.move(box.x + 140, box.y + 240, { steps: 5 });
    await page.mouse.up();
    const shown = await answerShown(page);
    assert.ok(((await page.locator('#preview').getAttribute('data-pixels')) ?? '').split(',').some((v) => Number(v) > 0), 'the model sees the ink drawn after Clear');
    assert.match(shown.text, /^The model says\d/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the Start buttons keep the keyboard focus while they work (they are marked busy, not disabled)', async () => {
    const { page, errors } = await open('/train');
    await page.fill('input[name=trainLimit]', '100');
    const jobs = s.queue.list().length;
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.locator('#notice', { hasText: /^Job \d+: / }).waitFor();
    assert.equal(s.queue.list().length, jobs + 1, 'one job was started');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'start', 'the Start button keeps the focus');
    assert.equal(await page.locator('#start').getAttribute('aria-disabled'), null, 'and is usable again');
    await page.close();

    const draw = await open('/draw');
    await draw.page.fill('#bt-images', '10');
    await draw.page.fill('#bt-test', '1');
    await draw.page.focus('#bt-start');
    await draw.page.keyboard.press('Enter');
    await browserTrainingVerdict(draw.page, draw.errors);
    assert.equal(await draw.page.evaluate(() => document.activeElement?.id), 'bt-start', '"Train in this browser" keeps the focus');
    assert.deepEqual([...errors, ...draw.errors], []);
    await draw.page.close();
  });

  test('"Train in this browser" on a data set smaller than its fields says how many images it used, not how many were asked for', async () => {
    // 50 training and 20 test images, as CSV: the fields ask for 2,000 and 500, and the server sends what there is.
    const data = join(base, 'small-data');
    mkdirSync(data, { recursive: true });
    for (const [split, n] of [['train', 50], ['test', 20]] as const) {
      const mnist = loadEmbeddedMnist(split);
      const rows = Array.from({ length: n }, (_, i) => [mnist.labels[i], ...mnist.images.subarray(i * 784, (i + 1) * 784)].join(','));
      writeFileSync(join(data, `mnist_${split}.csv`), `${rows.join('\n')}\n`);
    }
    const small = await listen({ runsDir: join(base, 'small-runs'), data });
    try {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${small.base}/draw`);
      await page.selectOption('#bt-variant', 'baseline');
      assert.deepEqual([await page.inputValue('#bt-images'), await page.inputValue('#bt-test')], ['2000', '500']);
      await page.click('#bt-start');
      await browserTrainingVerdict(page, errors);
      assert.equal(await page.locator('#bt-verdict').getAttribute('data-compared'), '5', '50 steps record 5 losses');
      assert.match((await page.locator('#bt-result').textContent()) ?? '', /Browser: \d+\.\d\d% on 20 test images, trained in/);
      assert.match((await page.locator('#bt-status').textContent()) ?? '', /^Done: baseline, seed 0, 50 images, 1 epoch\./);
      const picked = await page.locator('#model').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '');
      assert.match(picked, /^baseline s0 — \d+\.\d\d% of 20 test images · trained in this browser on 50 images$/);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await small.close();
    }
  });

  test('the notice follows the job it announced: "queued" becomes "started", and a refused submit is not replaced by news of an earlier job', async () => {
    const { page, errors } = await open('/train');
    await page.fill('input[name=trainLimit]', '100');
    // The jobs earlier tests left running end first, so that the first job here runs and the second waits for it.
    while (s.queue.list().some((j) => j.status === 'queued' || j.status === 'running')) {
      for (const j of manual.started) j.finish({ stopped: false });
      await settle();
    }
    await page.click('#start');
    const first = /^Job (\d+):/.exec((await page.locator('#notice', { hasText: /^Job \d+: Training started\.$/ }).textContent()) ?? '')![1]!;
    await page.click('#start');
    const queued = page.locator('#notice', { hasText: /queued \(position 1\)/ });
    await queued.waitFor();
    const second = /^Job (\d+):/.exec((await queued.textContent()) ?? '')![1]!;
    assert.equal(Number(second), Number(first) + 1);
    manual.started.find((j) => j.id === first)!.finish({ stopped: false });
    await page.locator('#notice', { hasText: `Job ${second}: Training started.` }).waitFor();
    assert.equal(await page.locator('#notice').getAttribute('class'), 'notice info');
    // A submit the server refuses while job `second` runs: its message stays when that job ends.
    await page.locator('input[name=mode][value=custom]').check();
    await page.fill('input[name=activation]', 'swish');
    await page.click('#start');
    const refused = page.locator('#notice', { hasText: /^Hidden activation: .* Nothing was started\.$/ });
    await refused.waitFor();
    manual.started.find((j) => j.id === second)!.finish({ stopped: false });
    await page.locator(`#jobs [data-job="${second}"][data-status="done"]`).waitFor();
    assert.match((await page.locator('#notice').textContent()) ?? '', /^Hidden activation: .* Nothing was started\.$/);
    await page.fill('input[name=activation]', 'sigmoid');
    await page.locator('input[name=mode][value=variants]').check();
    assert.deepEqual(errors.filter((m) => !m.includes('status of 400')), []);
    await page.close();
  });

  test('a model saved while the Draw page is open joins its picker when the page is looked at again; the chosen one stays', async () => {
    const { page, errors } = await open('/draw');
    await page.locator('#model[data-loaded="r1/model-a.safetensors"]').waitFor();
    const before = await page.locator('#model option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const file = join(folder, 'model-d.safetensors');
    const model = withGenerator(new Generator(4), () => new nn.Sequential(new nn.Linear(784, 10), new nn.Sigmoid()));
    saveModel(model, file, { variant: 'd', seed: 4, accuracy: 0.95 });
    try {
      // The page is looked at again (its tab shown, or its window focused).
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await page.locator('#model option[value="r1/model-d.safetensors"]').waitFor({ state: 'attached' });
      const after = await page.locator('#model option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      assert.deepEqual(after, [...before, 'r1/model-d.safetensors'], 'added after the models listed before, none twice');
      assert.match((await page.locator('#model option[value="r1/model-d.safetensors"]').textContent()) ?? '', /^d s4 — 95\.00% · r1$/);
      assert.equal(await page.locator('#model').inputValue(), 'r1/model-a.safetensors', 'the chosen model stays chosen');
      // Looked at again with nothing new: nothing changes.
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      await nextFrames(page);
      assert.equal(await page.locator('#model option').count(), after.length);
      assert.deepEqual(errors, []);
    } finally {
      rmSync(file, { force: true });
      await page.close();
    }
  });

  test('the server marks every wrong text setting of a custom network at once, the first on the page focused', async () => {
    const { page, errors } = await open('/train');
    await page.locator('input[name=mode][value=custom]').check();
    await page.fill('input[name=name]', 'my net');
    await page.fill('input[name=optimizer]', 'sgdd');
    await page.fill('input[name=activation]', 'foo');
    await page.click('#start');
    const notice = page.locator('#notice', { hasText: /Nothing was started\.$/ });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /^Hidden activation: expected sigmoid, .* 2 more fields need fixing too, each marked under it\. Nothing was started\.$/);
    const marked = await page.locator('#train-form [aria-invalid=true]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name));
    assert.deepEqual(marked, ['activation', 'optimizer', 'name']);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'activation');
    assert.equal(s.queue.list().filter((j) => j.title.startsWith('my net')).length, 0, 'no job was started');
    for (const [name, value] of [['activation', 'sigmoid'], ['optimizer', 'sgd'], ['name', 'custom']] as const) await page.fill(`input[name=${name}]`, value);
    await page.locator('input[name=mode][value=variants]').check();
    assert.deepEqual(errors.filter((m) => !m.includes('status of 400')), []);
    await page.close();
  });

  test("a failed job's notice reads as two sentences, the server's message capitalised", async () => {
    const { page, errors } = await open('/train');
    await page.fill('input[name=trainLimit]', '100');
    await page.click('#start');
    const started = (await page.locator('#notice', { hasText: /^Job \d+: / }).textContent()) ?? '';
    const id = /^Job (\d+):/.exec(started)![1]!;
    // The jobs earlier tests left running end first, so that this one starts.
    let mine: ManualJob | undefined;
    while ((mine = manual.started.find((j) => j.id === id)) === undefined) {
      for (const j of manual.started) j.finish({ stopped: false });
      await settle();
    }
    mine.fail(new Error('every run failed, no results were written: baseline seed 0: the loss became NaN'));
    const shown = page.locator('#notice', { hasText: `Job ${id} failed.` });
    await shown.waitFor();
    assert.equal(await shown.textContent(), `Job ${id} failed. Every run failed, no results were written: baseline seed 0: the loss became NaN`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
