// The report says it is generated from results.json: the PyTorch figures it shows beside the chapter's runs must be
// there too, as PyTorch's record gave them, so that every number of the page can be found in the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describePyTorchReference } from '../../src/lab/reference.js';
import { buildResultsFile, writeResults } from '../../src/lab/results-file.js';
import { findVariant } from '../../src/lab/variants.js';
import { formatReference } from '../../src/report/format.js';
import { renderReportHtml } from '../../src/report/html.js';
import { ResultsError, type RunResult } from '../../src/report/results.js';
import { validateResults } from '../../src/report/validate.js';
import { fakeRun } from '../report/fixtures.js';

/** A run of `variant` on the chapter's protocol (few losses recorded: the plots are not what is tested). */
function chapterRun(variant: string, seed: number, change: Partial<RunResult> = {}): RunResult {
  return { ...fakeRun({ variant, seed, testSamples: 10_000, config: findVariant(variant)!.config }), trainSamples: 60_000, ...change };
}

/** PyTorch's accuracy for a variant and seed, from its committed record. */
function recorded(variant: string, seed: number): number {
  const record = JSON.parse(readFileSync(new URL('../../../fixtures/torch/reference-accuracy.json', import.meta.url), 'utf8')) as {
    runs: Array<{ variant: string; seed: number; accuracy: number }>;
  };
  return record.runs.find((r) => r.variant === variant && r.seed === seed)!.accuracy;
}

test('results.json records the PyTorch figures the table and the report show, and the report is drawn from them', async () => {
  const runs = [chapterRun('baseline', 0), chapterRun('baseline', 1), chapterRun('adam', 0, { epochs: 1 })];
  const results = buildResultsFile(runs, { started: new Date(0), t0: 0, data: undefined, workers: 2, command: 'kindling reproduce --seeds 0,1' });
  const dir = mkdtempSync(join(tmpdir(), 'kindling-pytorch-'));
  try {
    const { pytorch } = await writeResults(dir, results);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { meta: { pytorch?: { source?: string; figures: Record<string, { mean: number; std: number; n: number; seeds: number[] }> } } };
    const saved = json.meta.pytorch;
    assert.ok(saved, 'results.json has meta.pytorch');
    assert.equal(saved.source, describePyTorchReference());
    // Beside baseline (the chapter's protocol): PyTorch's runs of the same seeds, 0 and 1; adam ran 1 epoch, so none.
    assert.deepEqual(Object.keys(saved.figures), ['baseline']);
    const [a, b] = [recorded('baseline', 0), recorded('baseline', 1)];
    assert.ok(Math.abs(saved.figures['baseline']!.mean - (a + b) / 2) < 1e-15);
    assert.ok(Math.abs(saved.figures['baseline']!.std - Math.abs(a - b) / Math.SQRT2) < 1e-15);
    assert.deepEqual([saved.figures['baseline']!.n, saved.figures['baseline']!.seeds], [2, [0, 1]]);
    assert.deepEqual(saved.figures, JSON.parse(JSON.stringify(pytorch)), 'the same figures the terminal table shows');
    // The page shows that figure, and a page drawn from results.json alone shows the same column and note.
    const cell = `<td class="num">${formatReference(saved.figures['baseline'])}</td>`;
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.ok(html.includes(cell), cell);
    const stub = { svg: '<svg width="10"></svg>', png: new Uint8Array([137, 80, 78, 71]) };
    const again = renderReportHtml(validateResults(json), { overlay: stub, variants: { baseline: stub, adam: stub } });
    assert.ok(again.includes('<th class="num">PyTorch</th>') && again.includes(cell));
    assert.ok(again.includes(`measured with ${saved.source!} (the project`) && again.includes('reference script); its runs of the same seeds.'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('results.json off the chapter\'s protocol has no PyTorch figures, and a bad one is refused naming its entry', async () => {
  const off = buildResultsFile([chapterRun('baseline', 0, { epochs: 1 })], { started: new Date(0), t0: 0, data: undefined, workers: 1, command: 'kindling reproduce --epochs 1' });
  const dir = mkdtempSync(join(tmpdir(), 'kindling-pytorch-'));
  try {
    // Figures the given results held (written for other runs) are not kept beside runs PyTorch did not run.
    await writeResults(dir, { ...off, meta: { ...off.meta, pytorch: { figures: { baseline: { mean: 0.5 } } } } });
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { meta: Record<string, unknown> };
    assert.equal(json.meta['pytorch'], undefined);
    assert.ok(!readFileSync(join(dir, 'report.html'), 'utf8').includes('<th class="num">PyTorch</th>'));
    const bad = { ...json, meta: { ...json.meta, pytorch: { figures: { baseline: { mean: 86.75 } } } } };
    assert.throws(() => validateResults(bad), (err: unknown) => err instanceof ResultsError && /meta\.pytorch\.figures\.baseline\.mean is 86\.75, expected a number from 0 to 1/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
