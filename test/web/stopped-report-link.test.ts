/**
 * A stopped job's card links the report its finished runs got (a Stop writes their results and report), in
 * headless Chromium; a stopped job with no report links only its folder.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPage, skipReason } from './browser-helpers.js';
import { browserLab } from './browser-lab.js';
import { postJson } from './helpers.js';

describe("a stopped job's card and its report (headless Chromium)", { skip: skipReason() }, () => {
  const lab = browserLab();
  const { manual } = lab;

  test('the card of a job stopped after some runs finished links their report; one stopped before links only the folder', async () => {
    const { page, errors } = await openPage(lab.context(), `${lab.server().base}/train`);
    for (const seeds of ['0,1', '2']) {
      const posted = await postJson(lab.server().base, '/api/jobs', { variants: 'baseline', seeds, epochs: 1, trainLimit: 100 });
      assert.equal(posted.status, 202, JSON.stringify(posted.body));
    }
    const first = manual.started[0]!;
    first.hooks.onRunStart(0);
    first.hooks.onRunDone(0, 0.5);
    first.hooks.onRunStart(1);
    first.hooks.onRunStopped(1, { step: 10, totalSteps: 100, samples: 10 });
    first.finish({ stopped: true, runFolder: 'both', report: true, message: 'Stopped: baseline s0 finished; baseline s1 stopped.' });
    const withReport = page.locator('article.job[data-job="1"][data-status=stopped]');
    await withReport.waitFor();
    assert.deepEqual(await withReport.locator('header a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/files/both/report.html', '/runs#both']);

    await page.locator('article.job[data-job="2"][data-status=running]').waitFor();
    const second = manual.started[1]!;
    second.hooks.onRunStart(0);
    second.finish({ stopped: true, runFolder: 'none', message: 'Stopped: baseline s2 stopped.' });
    const without = page.locator('article.job[data-job="2"][data-status=stopped]');
    await without.waitFor();
    assert.deepEqual(await without.locator('header a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/runs#none']);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
