import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { confusionTableHtml, sumConfusion } from '../../src/report/confusion.js';
import { digitDataUri, digitPng } from '../../src/report/digits.js';
import { escapeHtml } from '../../src/report/escape.js';
import { renderReportHtml, type PlotImage } from '../../src/report/html.js';
import { summarize } from '../../src/report/results.js';
import { fakeDigit, fakeResults, fakeRun, lcg, twoVariantResults } from './fixtures.js';

/** A stand-in plot: a real 4 × 2 PNG and a tiny SVG, enough to check how the page embeds them. */
function stubPlot(tag: string): PlotImage {
  const png = new PNG({ width: 4, height: 2 });
  png.data.fill(255);
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="776" height="400"><title>${tag}</title></svg>`, png: PNG.sync.write(png) };
}

function dataUris(html: string, type: string): string[] {
  return [...html.matchAll(new RegExp(`src="data:${type};base64,([A-Za-z0-9+/=]+)"`, 'g'))].map((m) => m[1]!);
}

test('digitPng: 28 × 28 scaled ×3, grey, ink dark on white, nearest neighbour', () => {
  const pixels = new Array<number>(784).fill(0);
  pixels[0] = 255; // top-left pixel full ink
  pixels[28 + 1] = 128;
  const image = PNG.sync.read(digitPng(pixels));
  assert.equal(image.width, 84);
  assert.equal(image.height, 84);
  const grey = (x: number, y: number): number => image.data[(y * 84 + x) * 4]!;
  assert.equal(grey(0, 0), 0);
  assert.equal(grey(2, 2), 0);
  assert.equal(grey(3, 3), 127);
  assert.equal(grey(5, 5), 127);
  assert.equal(grey(6, 6), 255);
  assert.equal(grey(83, 83), 255);
  assert.ok(digitDataUri(fakeDigit(lcg(1))).startsWith('data:image/png;base64,iVBOR'));
  assert.throws(() => digitPng([1, 2, 3]), /784 pixels \(28 × 28\), got 3/);
});

test('escapeHtml escapes the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
});

test('sumConfusion adds seeds cell by cell; the heat table shows counts and per-row accuracy', () => {
  const a = fakeRun({ seed: 0 });
  const b = fakeRun({ seed: 1 });
  const sum = sumConfusion([a, b]);
  assert.equal(sum[3]![5], a.confusion[3]![5]! + b.confusion[3]![5]!);
  assert.equal(sum.flat().reduce((x, y) => x + y, 0), 2000);
  const html = confusionTableHtml(sum, 'caption <x>');
  assert.equal((html.match(/<tr>/g) ?? []).length, 11);
  assert.equal((html.match(/<td class="[a-z]*" style="background:/g) ?? []).length, 100);
  assert.equal((html.match(/<td class="acc">/g) ?? []).length, 10);
  assert.ok(html.includes('caption &lt;x&gt;'));
  const diag = sum[7]![7]!;
  const rowSum = sum[7]!.reduce((x, y) => x + y, 0);
  assert.ok(html.includes(`title="true 7, predicted 7: ${diag} of ${rowSum.toLocaleString('en-US')} (${((diag / rowSum) * 100).toFixed(1)}%)"`));
});

test('report.html: self-contained, with the table, plots, misclassified images and the confusion matrix', () => {
  const results = twoVariantResults(100);
  const plots = { overlay: stubPlot('all'), variants: { baseline: stubPlot('baseline'), bce: stubPlot('bce') } };
  const html = renderReportHtml(results, plots, { pytorch: { baseline: { mean: 0.8745, std: 0.002, n: 3 } }, pytorchSource: 'PyTorch 9.9 on one thread' });
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes('PyTorch: the same protocol measured with PyTorch 9.9 on one thread (the project'), 'the footnote names which PyTorch');
  assert.ok(!html.includes('http://') && !html.includes('https://'), 'no network references');
  // An empty icon, so that no browser asks for /favicon.ico (which `serve` would refuse, and log, under its COEP).
  assert.ok(html.includes('<link rel="icon" href="data:,">'));
  assert.ok(!/<script|<link|@import|url\(/i.test(html.replace('<link rel="icon" href="data:,">', '')), 'no scripts, stylesheets or fetched resources');
  // Table rows: ours ± std, the chapter's figure, PyTorch's figure.
  const [baseline, bce] = results.summary;
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  assert.ok(html.includes(`${pct(baseline!.mean)} ± ${(baseline!.std * 100).toFixed(2)}`));
  assert.ok(html.includes(`${pct(bce!.mean)} ± ${(bce!.std * 100).toFixed(2)}`));
  assert.ok(html.includes('<td class="num">87%</td>') && html.includes('<td class="num">91%</td>'));
  assert.ok(html.includes('87.45% ± 0.20'));
  // Three plots as PNG data URIs (overlay + one per variant), decodable.
  const pngs = dataUris(html, 'image/png');
  const plotPngs = pngs.filter((b) => PNG.sync.read(Buffer.from(b, 'base64')).width === 4);
  assert.equal(plotPngs.length, 3);
  assert.ok(html.includes('width="776"'));
  // Misclassified digits: 4 per variant in the fixture, each an 84 × 84 PNG with its caption.
  const digits = pngs.filter((b) => PNG.sync.read(Buffer.from(b, 'base64')).width === 84);
  assert.equal(digits.length, 8);
  const m = results.runs[0]!.misclassified[0]!;
  assert.ok(html.includes(`${m.label} → ${m.predicted}<small>#${m.index}</small>`));
  // The best variant is bce (its mean is higher): its summed confusion matrix is shown.
  assert.ok(bce!.mean > baseline!.mean);
  assert.ok(html.includes('<table class="confusion">'));
  assert.ok(html.includes('Best variant: bce'));
  const bceSum = sumConfusion(results.runs.filter((r) => r.variant === 'bce'));
  assert.ok(html.includes(`title="true 0, predicted 0: ${bceSum[0]![0]!.toLocaleString('en-US')} of`));
});

test('report.html names the kernels the runs were trained with, each once, and nothing for files without them', () => {
  const results = twoVariantResults(100);
  const plots = { overlay: stubPlot('all'), variants: { baseline: stubPlot('baseline'), bce: stubPlot('bce') } };
  const labels = ['wasm (native subnormals)', 'ref', 'wasm (native subnormals)'];
  const runs = results.runs.map((r, i) => ({ ...r, kernels: labels[i % labels.length]! }));
  const html = renderReportHtml({ ...results, runs }, plots);
  assert.ok(html.includes(`Node.js ${results.meta.node}, kernels: wasm (native subnormals), ref</dd>`), 'each kind once, in the order met');
  assert.ok(renderReportHtml(results, plots).includes(`Node.js ${results.meta.node}</dd>`));
});

test('report.html escapes every user string and can embed SVG instead of PNG', () => {
  const run = fakeRun({ variant: 'mine', label: '<img src=x onerror=alert(1)> & "quotes"' });
  const results = { ...fakeResults([run]), meta: { ...fakeResults([run]).meta, command: 'kindling train --label "<b>"' } };
  results.summary = summarize(results.runs);
  const html = renderReportHtml(results, { overlay: stubPlot('all'), variants: { mine: stubPlot('mine') } }, { embed: 'svg', title: 'A <title>' });
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;'));
  assert.ok(html.includes('kindling train --label &quot;&lt;b&gt;&quot;'));
  assert.ok(html.includes('<title>A &lt;title&gt;</title>'));
  const svgs = dataUris(html, 'image/svg\\+xml').map((b) => Buffer.from(b, 'base64').toString('utf8'));
  assert.deepEqual(svgs.map((s) => /<title>(\w+)<\/title>/.exec(s)?.[1]), ['all', 'mine']);
  assert.equal(dataUris(html, 'image/png').length, run.misclassified.length);
});

test('report.html for runs off the chapter\'s protocol: its own title and lead, failed runs counted, and a footnote that fits', () => {
  const mine = fakeRun({ variant: 'mine', seed: 0, records: 50 });
  const results = { ...fakeResults([mine]), summary: summarize([mine], {}) };
  const failed = [{ variant: 'other', seed: 0, message: 'variant other (seed 0): the loss became NaN at step 4' }];
  const html = renderReportHtml({ ...results, meta: { ...results.meta, failed } }, { overlay: stubPlot('all'), variants: { mine: stubPlot('mine') } });
  assert.ok(html.includes('<h1>Kindling: MNIST runs</h1>'));
  assert.ok(html.includes('<p class="lead">One configuration of an MNIST classifier, one run, trained and tested by Kindling. One more run failed (see below).</p>'));
  assert.ok(html.includes('It is shown only beside runs of the chapter'));
  // The chapter's own variants keep the chapter's title and say "Both" when PyTorch's figures are beside them.
  const chapter = renderReportHtml(twoVariantResults(100), { overlay: stubPlot('all'), variants: {} }, { pytorch: { baseline: { mean: 0.87, std: 0.002, n: 3 } } });
  assert.ok(chapter.includes('<h1>Kindling: the MNIST chapter, reproduced</h1>'));
  assert.ok(chapter.includes("2 ways to train the chapter's MNIST classifier"));
  assert.ok(chapter.includes('Both are shown only beside'));
});

test('report.html: runs with NaN weights are left out of the accuracy and of the best variant\'s confusion matrix; ± is explained only where one is shown', () => {
  const good = [fakeRun({ seed: 0, skill: 0.9 }), fakeRun({ seed: 1, skill: 0.9 })];
  const nan = { ...fakeRun({ seed: 2, skill: 0.1 }), nonFiniteWeights: 99 };
  const results = fakeResults([...good, nan]);
  const plots = { overlay: stubPlot('all'), variants: { baseline: stubPlot('baseline') } };
  const html = renderReportHtml(results, plots);
  assert.ok(html.includes('Left out of the accuracy, as their weights ended NaN or infinite: 1 run of baseline.'));
  // The misclassified digits shown are a counted run's, also when the NaN run comes first.
  const nanFirst = renderReportHtml(fakeResults([nan, ...good]), plots);
  const shownIndices = (h: string): string[] => [...h.matchAll(/test image (\d+)/g)].map((m) => m[1]!);
  assert.deepEqual(shownIndices(nanFirst), shownIndices(html));
  assert.ok(shownIndices(html).length > 0);
  assert.ok(html.includes('; 1 with NaN weights left out"'), 'the accuracy cell\'s title');
  assert.ok(html.includes('Summed over its 2 seeds, 2,000 test predictions.'));
  const sum = sumConfusion(good);
  assert.ok(html.includes(`title="true 3, predicted 3: ${sum[3]![3]} of `), 'the matrix sums the two finite runs');
  assert.ok(html.includes('± is the sample standard deviation'));
  // A variant with no finite run: its accuracy is named as NaN weights, with no difference from the chapter.
  const allNaN = renderReportHtml(fakeResults([nan]), plots);
  assert.match(allNaN, /<td class="num ours" title="one run">[\d.]+% \(NaN weights\)<\/td>/);
  assert.ok(!allNaN.includes(' pp</td>'), 'no "ours − chapter" for it');
  // No variant is counted, so there is no best one: the confusion section says so instead of a bare heading.
  const confusion = allNaN.slice(allNaN.indexOf('<section id="confusion">'), allNaN.indexOf('</section>', allNaN.indexOf('<section id="confusion">')));
  assert.match(confusion, /<h2>Confusion matrix of the best variant<\/h2>\n<p class="note">None: every run's weights ended NaN or infinite, so no variant has an accuracy/);
  assert.ok(!confusion.includes('<table'), 'no matrix');
  // One run and no PyTorch column: no ± anywhere, and no sentence about it.
  const one = renderReportHtml(fakeResults([good[0]!]), plots);
  assert.ok(!one.includes('±'), 'no ± in a one-run report');
});

test('report.html: the difference from the chapter is that of the figures shown, never −0.00', () => {
  const results = twoVariantResults(100);
  const plots = { overlay: stubPlot('all'), variants: { baseline: stubPlot('baseline'), bce: stubPlot('bce') } };
  // 86.9967%, shown as 87.00%, against the chapter's 87%.
  const summary = results.summary.map((s) => (s.variant === 'baseline' ? { ...s, mean: 0.869967, chapter: 0.87 } : s));
  const html = renderReportHtml({ ...results, summary }, plots);
  assert.ok(html.includes('<td class="num delta-up">+0.00 pp</td>'), html.slice(html.indexOf('Ours − chapter'), html.indexOf('Ours − chapter') + 600));
  assert.ok(!html.includes('−0.00 pp'));
});
