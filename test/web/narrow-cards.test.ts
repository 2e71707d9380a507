/**
 * The live job cards stay inside the page, in headless Chromium: a run's line (its progress, or a failed run's
 * error, which can be long) wraps instead of running past the card and making the whole page scroll sideways, at
 * a desktop width and at a phone's 360 px.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPage, skipReason } from './browser-helpers.js';
import { browserLab } from './browser-lab.js';
import { postJson } from './helpers.js';

describe('live job cards at narrow and wide widths (headless Chromium)', { skip: skipReason() }, () => {
  const lab = browserLab();
  const { manual } = lab;

  test("a running run's progress and a failed run's long error stay inside their card", async () => {
    const posted = await postJson(lab.server().base, '/api/jobs', { variants: 'baseline', seeds: '0,1', epochs: 1, trainLimit: 100 });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const job = manual.started[0]!;
    job.hooks.onRunStart(0);
    job.hooks.onProgress(0, { step: 12_345, totalSteps: 120_000, epoch: 1, samples: 12_345, loss: 0.08765, elapsedSeconds: 4.2 });
    const error = 'variant baseline (seed 1): the loss became Infinity at step 3 (epoch 1, step 3 of 500); lower the learning rate. It had written no checkpoint of its training yet (the first is written at the end of epoch 1); any checkpoint in its folder is the one it starts from (step 0).';
    job.hooks.onRunFailed(1, error);
    for (const width of [1200, 360]) {
      const { page, errors } = await openPage(lab.context(), `${lab.server().base}/train`);
      await page.setViewportSize({ width, height: 800 });
      await page.locator('.live-run[data-status=failed]').waitFor();
      await page.locator('.live-run[data-status=running] .stats', { hasText: 'samples/s' }).waitFor();
      assert.equal(await page.locator('.live-run[data-status=failed] .stats').textContent(), error);
      const sizes = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        window: window.innerWidth,
        card: document.querySelector('article.job')!.getBoundingClientRect().right,
        lines: Array.from(document.querySelectorAll<HTMLElement>('.live-run .stats')).map((el) => ({ text: el.textContent, scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right })),
      }));
      assert.ok(sizes.page <= sizes.window, `${width} px: the page is ${sizes.page} px wide`);
      for (const line of sizes.lines) {
        assert.ok(line.scroll <= line.client + 1 && line.right <= sizes.card, `${width} px: "${line.text}" runs past its card (${JSON.stringify(line)}, card ends at ${sizes.card})`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
    job.finish({ stopped: false });
  });
});
