/**
 * A live chart is not drawn again and again as a classic page scrollbar comes and goes, in headless Chromium with
 * its scrollbars shown. Below 1,000 px the chart's height follows its width: with the window just about as tall as
 * the page, drawing it made the page scroll, the scrollbar narrowed its box, it was drawn shorter, the scrollbar went,
 * it was drawn wider, and so on every frame.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { nextFrames, skipReason } from './browser-helpers.js';
import { browserLab, runsPageWithLiveJob } from './browser-lab.js';

/** How many times the live charts were drawn (their contents replaced) over the page's next `frames` frames. */
function drawsOver(page: Page, frames: number): Promise<number> {
  return page.evaluate((n) => new Promise<number>((resolve) => {
    let draws = 0;
    const seen = new MutationObserver((records) => {
      draws += records.length;
    });
    document.querySelectorAll('#live .live-chart').forEach((chart) => seen.observe(chart, { childList: true }));
    const tick = (left: number): void => {
      if (left === 0) {
        seen.disconnect();
        resolve(draws);
      } else requestAnimationFrame(() => tick(left - 1));
    };
    tick(n);
  }), frames);
}

describe('a live chart beside a classic scrollbar (headless Chromium, scrollbars shown)', { skip: skipReason() }, () => {
  const lab = browserLab(undefined, { scrollbars: true });

  test("with the window about as tall as the page, the chart is drawn once and left alone", async () => {
    const { page, errors, job } = await runsPageWithLiveJob(lab, 1000, 300);
    await nextFrames(page);
    const scrollbar = await page.evaluate(() => innerWidth - document.documentElement.clientWidth);
    assert.ok(scrollbar > 0, `the scrollbar takes no room (${scrollbar} px): this browser does not show the case`);
    // The page's height with no scrollbar, to the fraction of a pixel, in a window that holds it all.
    await page.setViewportSize({ width: 1000, height: 3000 });
    await nextFrames(page);
    await nextFrames(page);
    const pageHeight = await page.evaluate(() => document.documentElement.getBoundingClientRect().height);
    // A window whose height lies between the page's with and without the scrollbar (at most a quarter of the
    // scrollbar's width apart, and less than a pixel with a chart drawn at a 4:1 ratio) is found by growing the page
    // under a fixed window by an eighth of a pixel at a time.
    await page.setViewportSize({ width: 1000, height: Math.ceil(pageHeight) });
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { id: 'spacer' })));
    for (let eighths = 0; eighths <= 8 * (scrollbar / 4 + 1); eighths++) {
      await page.evaluate((px) => document.getElementById('spacer')!.style.setProperty('height', `${px}px`), eighths / 8);
      await nextFrames(page);
      assert.equal(await drawsOver(page, 6), 0, `the page grown by ${eighths / 8} px: the chart is drawn again and again`);
    }
    assert.deepEqual(errors, []);
    await page.close();
    job.finish({ stopped: false });
  });
});
