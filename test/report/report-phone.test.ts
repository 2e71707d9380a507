/**
 * report.html on a phone (headless Chromium at 390 × 844): the results table keeps each variant's name and our
 * accuracy on screen, with "what changed" as a line under the name instead of a column that pushes the accuracy
 * into the sideways-scrolling part; on a wide screen the column is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { renderReportHtml, type PlotImage } from '../../src/report/html.js';
import { launchChromium, skipReason } from '../web/browser-helpers.js';
import { fakeResults, fakeRun } from './fixtures.js';

function stubPlot(tag: string): PlotImage {
  const png = new PNG({ width: 4, height: 2 });
  png.data.fill(255);
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="776" height="400"><title>${tag}</title></svg>`, png: PNG.sync.write(png) };
}

describe('report.html at a phone\'s width (headless Chromium)', { skip: skipReason() }, () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser.close());

  test('the variant and our accuracy fit the screen; "what changed" moves under the name', async () => {
    const runs = ['baseline', 'layernorm', 'combined'].flatMap((variant) => [0, 1].map((seed) => fakeRun({ variant, seed })));
    const results = fakeResults(runs);
    const html = renderReportHtml(results, { overlay: stubPlot('all'), variants: { baseline: stubPlot('b'), layernorm: stubPlot('l'), combined: stubPlot('c') } }, { pytorch: { baseline: { mean: 0.8664, std: 0.0022, n: 3 } } });
    const page = await browser.context.newPage();
    try {
      for (const width of [390, 1200]) {
        await page.setViewportSize({ width, height: 844 });
        await page.setContent(html);
        const cells = await page.evaluate(() => Array.from(document.querySelector('table.results')!.querySelectorAll('tbody tr')).map((tr) => {
          const box = (sel: string): { right: number; shown: boolean } => {
            const el = tr.querySelector<HTMLElement>(sel)!;
            return { right: el.getBoundingClientRect().right, shown: getComputedStyle(el).display !== 'none' };
          };
          return { ours: box('td.ours'), column: box('td.what'), inline: box('.what-inline'), text: tr.querySelector('.what-inline')!.textContent };
        }));
        assert.equal(cells.length, 3);
        for (const c of cells) {
          if (width === 390) {
            assert.ok(c.ours.right <= width, `${width} px: our accuracy ends at ${c.ours.right} px, off screen`);
            assert.deepEqual([c.column.shown, c.inline.shown], [false, true], `${width} px`);
          } else {
            assert.deepEqual([c.column.shown, c.inline.shown], [true, false], `${width} px`);
          }
        }
        assert.equal(cells[0]!.text, results.summary[0]!.label);
      }
    } finally {
      await page.close();
    }
  });
});
