/**
 * A job's Stop button used from the keyboard, in headless Chromium: the focus stays on it while the job's news
 * comes in (a run finishing, the next starting: every card used to be taken out of the page and put back, which
 * threw the focus to the top), and when the job ends and the button goes, the focus goes to the job's card, not
 * to the top of the page. A stop the server refuses says why on the card (the message was set on a hidden line),
 * and keeps saying it through the job's news (the next progress report wiped it) until the next stop or the job's end.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPage, skipReason } from './browser-helpers.js';
import { browserLab } from './browser-lab.js';
import { postJson } from './helpers.js';

/** What has the keyboard's focus: the Stop button, something else in job `id`'s card, or elsewhere. */
function focused(page: Page, id: string): Promise<string> {
  return page.evaluate((job) => {
    const el = document.activeElement;
    const card = document.querySelector(`article.job[data-job="${job}"]`);
    if (el === null || el === document.body) return 'the page';
    if (el.matches('button[data-action=stop]') && card?.contains(el)) return 'Stop';
    return card?.contains(el) ? `the card's ${el.tagName.toLowerCase()}` : `${el.tagName.toLowerCase()} outside the card`;
  }, id);
}

describe("a job's Stop button keeps the keyboard's focus (headless Chromium)", { skip: skipReason() }, () => {
  const lab = browserLab();

  test('through the job news, and it lands in the card when the job stops', async () => {
    const posted = await postJson(lab.server().base, '/api/jobs', { variants: 'baseline', seeds: '0,1', epochs: 1, trainLimit: 100 });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const job = lab.manual.started[0]!;
    job.hooks.onRunStart(0);
    job.hooks.onProgress(0, { step: 10, totalSteps: 100, epoch: 1, samples: 10, loss: 0.2, elapsedSeconds: 0.1 });
    for (const path of ['/train', '/runs']) {
      const { page, errors } = await openPage(lab.context(), `${lab.server().base}${path}`);
      await page.locator('article.job[data-job="1"] button[data-action=stop]').focus();
      assert.equal(await focused(page, '1'), 'Stop', path);
      if (path === '/train') {
        // News: the first run finishes and the second starts; the page redraws the card.
        job.hooks.onRunDone(0, 0.5);
        job.hooks.onRunStart(1);
        await page.locator('article.job[data-job="1"] .live-run[data-status=running]', { hasText: 'starting' }).waitFor();
        assert.equal(await focused(page, '1'), 'Stop', `${path}, after the news`);
        job.hooks.onProgress(1, { step: 10, totalSteps: 100, epoch: 1, samples: 10, loss: 0.2, elapsedSeconds: 0.1 });
        await page.locator('article.job[data-job="1"] .live-run[data-status=running] .stats', { hasText: '10%' }).waitFor();
        assert.equal(await focused(page, '1'), 'Stop', `${path}, after a progress report`);
        await page.close();
        assert.deepEqual(errors, []);
        continue;
      }
      // From the keyboard: the job stops, its button goes, and the focus is in its card.
      await page.keyboard.press('Enter');
      await page.locator('article.job[data-job="1"][data-status=stopped]').waitFor();
      assert.equal(job.stopCalls, 1);
      assert.equal(await page.locator('article.job[data-job="1"] button[data-action=stop]').isHidden(), true);
      assert.equal(await focused(page, '1'), "the card's h3", `${path}, after the stop`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });

  test('a stop the server refuses is said on the card through the job news, and the button can be pressed again', async () => {
    const posted = await postJson(lab.server().base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 100 });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const id = String((posted.body['job'] as { id: string }).id);
    const job = lab.manual.started.at(-1)!;
    job.hooks.onRunStart(0);
    const { page } = await openPage(lab.context(), `${lab.server().base}/train`);
    const refusal = 'the server is shutting down';
    await page.route(`**/api/jobs/${id}/stop`, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: refusal }) }));
    const stop = page.locator(`article.job[data-job="${id}"] button[data-action=stop]`);
    await stop.focus();
    await page.keyboard.press('Enter');
    const message = page.locator(`article.job[data-job="${id}"] > p.muted`);
    await message.filter({ hasText: refusal }).waitFor({ state: 'attached' });
    assert.equal(await message.isVisible(), true);
    assert.equal(await stop.getAttribute('aria-disabled'), null);
    assert.equal(await focused(page, id), 'Stop');
    // The job's news redraws the card (every frame while it runs): the refusal stays said.
    job.hooks.onProgress(0, { step: 10, totalSteps: 100, epoch: 1, samples: 10, loss: 0.2, elapsedSeconds: 0.1 });
    await page.locator(`article.job[data-job="${id}"] .live-run .stats`, { hasText: '10%' }).waitFor();
    assert.equal(await message.textContent(), refusal);
    assert.equal(await message.isVisible(), true);
    // Pressed again, and accepted this time: the refusal is gone, the job's own message is said.
    await page.unroute(`**/api/jobs/${id}/stop`);
    await page.keyboard.press('Enter');
    await page.locator(`article.job[data-job="${id}"][data-status=stopped]`).waitFor();
    assert.equal(job.stopCalls, 1);
    assert.equal(await message.textContent(), 'stopped by the test');
    await page.close();
  });
});
