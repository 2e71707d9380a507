/**
 * The loss charts are drawn at the width they are shown at, in headless Chromium: on a phone's 360 px their axis
 * labels keep the size they have on a desktop (drawn 1,000 units wide and shown 300 px wide, they were 3 px tall),
 * and a chart is drawn again when its box changes width. The live job chart and "Train in this browser"'s.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserTrainingVerdict, nextFrames, openPage, skipReason } from './browser-helpers.js';
import { browserLab, runsPageWithLiveJob } from './browser-lab.js';

/** The rendered height of each chart's first axis label, and its drawing's width against its box's, in `scope`. */
function charts(page: Page, scope: string): Promise<{ label: number; drawn: number; box: number }[]> {
  return page.evaluate((sel) => Array.from(document.querySelectorAll<SVGSVGElement>(`${sel} svg.chart`)).map((svg) => ({
    label: svg.querySelector('text.axis')!.getBoundingClientRect().height,
    drawn: svg.viewBox.baseVal.width,
    box: svg.parentElement!.clientWidth,
  })), scope);
}

/** An 11 px label is about 13 px tall on screen; anything under 10 is too small to read. */
function assertReadable(found: { label: number; drawn: number; box: number }[], where: string): void {
  assert.ok(found.length > 0, `${where}: no chart`);
  for (const c of found) {
    assert.ok(c.label >= 10, `${where}: an axis label is ${c.label.toFixed(1)} px tall`);
    assert.equal(c.drawn, c.box, `${where}: drawn ${c.drawn} wide in a box ${c.box} px wide`);
  }
}

describe('loss charts at a phone width (headless Chromium)', { skip: skipReason() }, () => {
  const lab = browserLab();

  test("a live job's chart is readable at 360 px, and drawn again when the window changes width", async () => {
    const { page, errors, job } = await runsPageWithLiveJob(lab, 360, 800);
    // A change of size is seen, and drawn, by the next frames.
    const settled = (): Promise<void> => nextFrames(page);
    await settled();
    assertReadable(await charts(page, '#live'), 'Runs page at 360 px');
    await page.setViewportSize({ width: 1200, height: 800 });
    await settled();
    assertReadable(await charts(page, '#live'), 'Runs page at 1200 px');
    await page.setViewportSize({ width: 375, height: 800 });
    await settled();
    assertReadable(await charts(page, '#live'), 'Runs page back at 375 px');
    assert.deepEqual(errors, []);
    await page.close();
    job.finish({ stopped: false });
  });

  test('"Train in this browser": its result chart is readable at 360 px', async () => {
    const { page, errors } = await openPage(lab.context(), `${lab.server().base}/draw`);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.fill('#bt-images', '100');
    await page.fill('#bt-test', '20');
    await page.click('#bt-start');
    await browserTrainingVerdict(page, errors);
    assertReadable(await charts(page, '#bt-result'), 'Draw page at 360 px');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
