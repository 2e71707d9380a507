import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { lossPlotSpec, overlayPlotSpec } from '../../src/report/plot-specs.js';
import { pngInWorker, PlotSequence, renderInWorker, renderLossPlot, renderOverlayPlot, specToSvg, svgToPngSync } from '../../src/report/plots.js';
import { fakeRun, twoVariantResults } from './fixtures.js';
import { byClass, findAll, parseXml, type XmlElement } from './xml.js';

function svgSize(root: XmlElement): { width: number; height: number } {
  return { width: Number(root.attrs['width']), height: Number(root.attrs['height']) };
}

/** Texts of every axis's labels, one list per axis. */
function axisLabels(root: XmlElement): string[][] {
  return byClass(root, 'mark-text', 'role-axis-label').map((g) => findAll(g, (e) => e.name === 'text').map((t) => t.text));
}

/** Vega draws each series of a line mark as its own group with one path. */
function linePaths(root: XmlElement): number {
  return byClass(root, 'mark-line', 'role-mark').reduce((n, g) => n + g.children.filter((c) => c.name === 'path').length, 0);
}

function nonWhitePixels(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) n++;
  return n;
}

test('the XML checker used below does reject malformed documents', () => {
  assert.throws(() => parseXml('<a><b></a>'), /does not match <b>/);
  assert.throws(() => parseXml('<a x=1/>'), /malformed tag/);
  assert.throws(() => parseXml('<a>fish & chips</a>'), /bare '&'/);
  assert.throws(() => parseXml('<a><b/>'), /<a> is never closed/);
  assert.equal(parseXml('<a k="v"><b>t &amp; u</b></a>').children[0]!.text, 't &amp; u');
});

test('loss plot: well-formed SVG with the chapter y axis (0 … 1, ticks 0, 0.25, 0.5), one dot per recorded loss', async () => {
  const run = fakeRun({ records: 400 });
  const { svg, png } = await renderLossPlot([run], { scale: 1 });
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  const yLabels = axisLabels(root).find((labels) => labels.includes('0.25'));
  assert.deepEqual(yLabels, ['0', '0.25', '0.5', '0.75', '1']);
  const grids = byClass(root, 'mark-rule', 'role-axis-grid').map((g) => g.children.length);
  assert.ok(grids.includes(5), `expected a grid of 5 horizontal lines, got grids of ${grids.join(', ')}`);
  // Every recorded loss at or below 1 is a dot (the fixture's losses are all below 1).
  assert.ok(run.losses.every((l) => l !== null && l <= 1));
  const symbols = byClass(root, 'mark-symbol', 'role-mark');
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0]!.children.length, 400);
  assert.ok(svg.includes('training step') && svg.includes('loss (MSE)') && svg.includes('Training loss: baseline'));
  const image = PNG.sync.read(png);
  const size = svgSize(root);
  assert.equal(image.width, size.width);
  assert.equal(image.height, size.height);
  assert.ok(nonWhitePixels(image) > 5000, 'the PNG has visible content');
});

test('the dots carry no stroke width: the same pixels as with Vega-Lite\'s default stroke width of 2, in a smaller SVG', async () => {
  const run = fakeRun({ records: 2000 });
  const { spec } = lossPlotSpec([run]);
  const svg = await specToSvg(spec);
  const dots = byClass(parseXml(svg), 'mark-symbol', 'role-mark')[0]!.children;
  assert.equal(dots.length, 2000);
  assert.ok(dots.every((d) => d.attrs['stroke-width'] === undefined && d.attrs['fill'] === '#1f77b4'));
  const layers = (spec as unknown as { layer: Array<{ mark: Record<string, unknown> }> }).layer;
  const stroked = { ...spec, layer: [{ ...layers[0]!, mark: { ...layers[0]!.mark, strokeWidth: 2 } }, ...layers.slice(1)] } as unknown as typeof spec;
  const withStroke = await specToSvg(stroked);
  assert.equal((withStroke.match(/stroke-width="2"/g) ?? []).length - (svg.match(/stroke-width="2"/g) ?? []).length, 2000);
  assert.equal(withStroke.length - svg.length, 2000 * ' stroke-width="2"'.length);
  assert.deepEqual(PNG.sync.read(svgToPngSync(svg, 1)).data, PNG.sync.read(svgToPngSync(withStroke, 1)).data);
});

test('loss plot of 54,000 records draws every 3rd as a dot and says so; PNG at twice the SVG size', async () => {
  const runs = [fakeRun({ records: 54_000 }), fakeRun({ records: 54_000, seed: 1 })];
  const { spec, dots } = lossPlotSpec(runs);
  assert.equal(dots, 18_000);
  const subtitle = JSON.stringify(spec.title);
  assert.ok(subtitle.includes('every 3rd of 54,000 recorded losses'), subtitle);
  assert.ok(subtitle.includes('centred moving average over 100 records (1,000 steps), one per seed'), subtitle);
  const { svg, png } = await renderLossPlot(runs);
  const root = parseXml(svg);
  const symbols = byClass(root, 'mark-symbol', 'role-mark');
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0]!.children.length, 18_000);
  // Two seeds → two smoothed lines and a legend naming them.
  assert.equal(linePaths(root), 2);
  assert.ok(svg.includes('>seed 0<') && svg.includes('>seed 1<'));
  const image = PNG.sync.read(png);
  const size = svgSize(root);
  assert.equal(image.width, size.width * 2);
  assert.equal(image.height, size.height * 2);
});

test('loss plot leaves out losses above 1 and null records, and counts what it left out', () => {
  const run = { ...fakeRun({ records: 100 }) };
  const losses = [...run.losses];
  losses[0] = 1.7;
  losses[1] = 2.5;
  losses[2] = null;
  const { spec, dots } = lossPlotSpec([{ ...run, losses }]);
  assert.equal(dots, 97);
  assert.ok(JSON.stringify(spec.title).includes('2 above 1 not shown; 1 not finite (NaN or ∞), not shown'));
  assert.throws(() => lossPlotSpec([]), /no runs given/);
  assert.throws(() => lossPlotSpec([run, { ...run, variant: 'bce' }]), /runs of 'baseline' and 'bce' mixed/);
});

test('a run too short to record a loss gets a plot that says so, not "all 0 recorded losses"', async () => {
  const run = { ...fakeRun({ records: 0 }), epochs: 1, trainSamples: 5 };
  const { spec, dots } = lossPlotSpec([run]);
  assert.equal(dots, 0);
  const title = JSON.stringify(spec.title);
  assert.ok(title.includes('no loss recorded: one is recorded every 10 steps, and the run took 5'), title);
  assert.doesNotMatch(title, /recorded losses|moving average/);
  const { svg } = await renderLossPlot([run]);
  assert.ok(svg.includes('no loss recorded'));
});

test('the x axis ends at the steps trained, in whole steps, also for runs of fewer steps than 10', async () => {
  const xLabels = async (run: ReturnType<typeof fakeRun>): Promise<string[]> => {
    const labels = axisLabels(parseXml((await renderLossPlot([run], { scale: 1 })).svg));
    return labels.find((l) => !l.includes('0.25'))!;
  };
  const short = fakeRun({ records: 0 });
  // 5 images, 1 epoch, one a step: 5 steps and no record.
  assert.deepEqual(await xLabels({ ...short, epochs: 1, trainSamples: 5 }), ['0', '1', '2', '3', '4', '5']);
  assert.deepEqual(await xLabels({ ...short, epochs: 1, trainSamples: 1 }), ['0', '1']);
  // 15 steps: one record, at step 10, on an axis running to 15.
  const one = { ...fakeRun({ records: 1 }), epochs: 1, trainSamples: 15 };
  assert.deepEqual((lossPlotSpec([one]).spec as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x.scale.domain, [0, 15]);
  // Batches of 64 over 1,000 images: 16 steps an epoch (the last batch short), 48 in 3 epochs, 4 records.
  const batched = { ...fakeRun({ records: 4 }), batchSize: 64, trainSamples: 1000 };
  assert.deepEqual((lossPlotSpec([batched]).spec as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x.scale.domain, [0, 48]);
});

test('diverged runs are drawn: a line wholly above the plot, one that leaves it for 10^6 and comes back, and one that ends in NaN', async () => {
  // resvg aborted the whole process on such lines (a path wholly outside the plot, or millions of pixels beyond it).
  const run = fakeRun({ records: 100 });
  const above = { ...run, losses: run.losses.map((_, i) => 2 + i / 100) };
  const jumps = { ...run, variant: 'bce', losses: run.losses.map((_, i) => (i % 40 < 20 ? 0.2 : 1e6)) };
  const nan = { ...run, variant: 'adam', losses: [5, 6, 7, ...Array<null>(97).fill(null)] };
  for (const r of [above, jumps, nan]) {
    const { svg, png } = await renderLossPlot([r]);
    assert.ok(PNG.sync.read(png).width > 0);
    // Only the parts of the line inside the plot are drawn: no coordinate far outside it.
    const ys = [...svg.matchAll(/<path[^>]*d="([^"]*)"/g)].flatMap((m) => [...m[1]!.matchAll(/[ML,]\s*(-?[\d.]+)[ ,](-?[\d.e+]+)/g)].map((p) => Number(p[2])));
    assert.ok(ys.length > 0 && ys.every((y) => Math.abs(y) < 10_000), `${r.variant}: ${Math.max(...ys.map(Math.abs))}`);
  }
  const { spec } = lossPlotSpec([jumps]);
  const layer = (spec as { layer: Array<{ data: { values: Array<{ step: number; loss: number; part: string }> } }> }).layer[1]!;
  const parts = new Set(layer.data.values.map((p) => p.part));
  assert.ok(parts.size >= 3, `the line is cut where it leaves the plot and starts again where it comes back (${parts.size} pieces)`);
  assert.ok(layer.data.values.every((p) => p.loss <= 1), 'no point beyond the top');
  assert.ok(layer.data.values.some((p) => p.loss === 1), 'each piece ends on the top edge, where the line crosses it');
  const overlay = await renderOverlayPlot([above, jumps, nan]);
  assert.ok(PNG.sync.read(overlay.png).width > 0);
  // The x axis spans the whole run (3 epochs of 334 images), also when its last losses were not finite.
  const x = (lossPlotSpec([nan]).spec as { encoding: { x: { scale: { domain: number[] } } } }).encoding.x.scale.domain;
  assert.deepEqual(x, [0, 1002]);
});

test('overlay plot: one smoothed line per variant with a legend', async () => {
  const { svg, png } = await renderOverlayPlot(twoVariantResults(300).runs);
  const root = parseXml(svg);
  assert.equal(linePaths(root), 2);
  const legend = byClass(root, 'role-legend-label').flatMap((g) => findAll(g, (e) => e.name === 'text').map((t) => t.text));
  assert.deepEqual(legend, ['baseline', 'bce']);
  assert.ok(svg.includes('of the loss averaged over seeds'));
  assert.equal(PNG.sync.read(png).width, svgSize(root).width * 2);
});

test('a plot rendered on its own thread comes back whole, and a bad spec or scale is a clear error', async () => {
  const spec = lossPlotSpec([fakeRun({ records: 500 })]).spec;
  const { svg, png } = await renderInWorker(spec, 1);
  assert.equal(PNG.sync.read(png).width, svgSize(parseXml(svg)).width);
  assert.ok(nonWhitePixels(PNG.sync.read(png)) > 1000);
  await assert.rejects(renderInWorker({ mark: 'nonsense' } as unknown as Parameters<typeof renderInWorker>[0]), /^Error: plot rendering failed: ./);
  await assert.rejects(renderInWorker(spec, 0), /scale must be above 0/);
});

test('plots drawn in a sequence come back in order, the same bytes as drawn alone, and one failing holds up none after it', async () => {
  const specs = [lossPlotSpec([fakeRun({ records: 300 })]).spec, lossPlotSpec([fakeRun({ records: 500, variant: 'bce' })]).spec];
  const alone = await Promise.all(specs.map((s) => renderInWorker(s, 1)));
  const sequence = new PlotSequence();
  const bad = { mark: 'nonsense' } as unknown as (typeof specs)[0];
  const [first, failed, second] = [sequence.render(specs[0]!, 1), sequence.render(bad, 1), sequence.render(specs[1]!, 1)];
  await assert.rejects(failed, /^Error: plot rendering failed: ./);
  for (const [got, want] of [[await first, alone[0]!], [await second, alone[1]!]] as const) {
    assert.equal(got.svg, want.svg);
    assert.ok(Buffer.compare(got.png, want.png) === 0, 'PNG bytes');
  }
  assert.notEqual(alone[0]!.svg, alone[1]!.svg);
  // The PNG thread on its own: what resvg makes of the SVG, and a clear error for what it cannot read.
  assert.equal(PNG.sync.read(await pngInWorker(alone[0]!.svg, 2)).width, 2 * svgSize(parseXml(alone[0]!.svg)).width);
  await assert.rejects(pngInWorker('<svg', 1), /^Error: plot rendering failed: ./);
  assert.throws(() => sequence.render(specs[0]!, 0), /scale must be above 0/);
});

test('the bundled rendering thread (one file, as the build makes it) draws the same SVG and PNG bytes as the modules', async () => {
  assert.ok(existsSync(new URL('../../render-worker.bundle.js', import.meta.url)), 'the build must make dist/render-worker.bundle.js');
  for (const spec of [lossPlotSpec([fakeRun({ records: 2000 }), fakeRun({ records: 2000, seed: 1 })]).spec, overlayPlotSpec([fakeRun({ records: 800 }), fakeRun({ records: 800, variant: 'bce' })])]) {
    const bundled = await renderInWorker(spec, 2, 'bundled');
    const modules = await renderInWorker(spec, 2, 'modules');
    assert.equal(bundled.svg, modules.svg);
    assert.ok(Buffer.compare(bundled.png, modules.png) === 0, 'PNG bytes');
  }
});

test('a spec drawn twice on one thread gives the same SVG bytes (clip-path ids restart at 1)', async () => {
  const spec = lossPlotSpec([fakeRun({ records: 200 })]).spec;
  const first = await specToSvg(spec);
  await specToSvg(overlayPlotSpec([fakeRun({ records: 100 }), fakeRun({ records: 100, variant: 'bce' })]));
  const again = await specToSvg(spec);
  assert.match(first, /clip-path="url\(#clip1\)"/);
  assert.equal(again, first);
});

test('per-variant plot of several seeds: the first seed\'s curve, the one that goes with the dots, is drawn last and thicker', async () => {
  const runs = [0, 1, 2].map((seed) => ({ ...fakeRun({ records: 200 }), seed }));
  const { spec } = lossPlotSpec(runs);
  type Layer = { mark: { type: string; strokeWidth?: number }; data: { values: Array<{ series: string }> } };
  const layers = (spec as { layer: Layer[] }).layer;
  assert.deepEqual(layers.map((l) => l.mark.type), ['point', 'line', 'line']);
  assert.deepEqual([...new Set(layers[1]!.data.values.map((p) => p.series))], ['seed 1', 'seed 2']);
  assert.deepEqual([...new Set(layers[2]!.data.values.map((p) => p.series))], ['seed 0']);
  assert.ok(layers[2]!.mark.strokeWidth! > layers[1]!.mark.strokeWidth!);
  // In the SVG, seed 0's colour (the first of the seed colours) is the last line drawn.
  const { svg } = await renderLossPlot(runs);
  const strokes = [...svg.matchAll(/<path[^>]*stroke="(#[0-9a-f]{6})"[^>]*stroke-width="2(?:\.5)?"/g)].map((m) => m[1]);
  assert.equal(strokes.at(-1), '#c0392b');
  // One seed: one line layer, as before.
  assert.deepEqual((lossPlotSpec([runs[0]!]).spec as { layer: Layer[] }).layer.map((l) => l.mark.type), ['point', 'line']);
});

test('the overlay leaves runs with NaN weights out of a variant\'s mean, and says why a frame is empty', () => {
  const ok = fakeRun({ records: 200 });
  const diverged = { ...fakeRun({ records: 200, seed: 1 }), losses: [8.2e19, ...new Array<number | null>(199).fill(null)], nonFiniteWeights: 100 };
  const values = (spec: ReturnType<typeof overlayPlotSpec>): Array<{ loss: number }> => (spec.data as { values: Array<{ loss: number }> }).values;
  const alone = values(overlayPlotSpec([ok]));
  const mixed = values(overlayPlotSpec([ok, diverged]));
  assert.deepEqual(mixed, alone, 'the diverged seed changes nothing');
  const subtitle = (spec: ReturnType<typeof overlayPlotSpec>): string => String((spec.title as { subtitle: string[] }).subtitle[0]);
  assert.equal(subtitle(overlayPlotSpec([{ ...ok, losses: [] }])), 'no loss was recorded (one is recorded every 10 steps)');
  // Losses were recorded, but every one was NaN or infinite (kept as null): that is not "none recorded".
  assert.equal(subtitle(overlayPlotSpec([{ ...diverged, losses: diverged.losses.map(() => null) }])), 'every recorded loss is NaN or infinite: none is shown');
  assert.equal(subtitle(overlayPlotSpec([{ ...ok, losses: ok.losses.map((l) => (l === null ? null : l + 5)) }])), 'every curve stays above 1, the top of the y axis: none is shown');
  assert.match(subtitle(overlayPlotSpec([ok])), /^lines: centred moving average/);
});

test('ten seeds get ten colours in a variant\'s plot', () => {
  const spec = lossPlotSpec(Array.from({ length: 10 }, (_, seed) => fakeRun({ records: 100, seed }))).spec;
  const range = JSON.stringify(spec).match(/"range":\[([^\]]*)\]/)![1]!.split(',');
  assert.equal(new Set(range.slice(0, 10)).size, 10);
});
