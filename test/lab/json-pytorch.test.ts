// `--json` is the terminal table for a script: the PyTorch figures the table shows beside the chapter's runs, and
// results.json records (meta.pytorch), are in it too, and are absent where the table shows none.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { labJson } from '../../src/cli/lab-json.js';
import { buildResultsFile, writeResults } from '../../src/lab/results-file.js';
import { findVariant } from '../../src/lab/variants.js';
import type { RunResult } from '../../src/report/results.js';
import { fakeRun } from '../report/fixtures.js';

function chapterRun(variant: string, seed: number, change: Partial<RunResult> = {}): RunResult {
  return { ...fakeRun({ variant, seed, testSamples: 10_000, config: findVariant(variant)!.config }), trainSamples: 60_000, ...change };
}

const extras = { runFolder: 'runs/x', models: ['runs/x/model-baseline-s0.safetensors'], wallSeconds: 1, commandSeconds: 2, failures: [] };

test('--json carries the PyTorch figures results.json records, and none off the chapter\'s protocol', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-json-'));
  try {
    const on = buildResultsFile([chapterRun('baseline', 0), chapterRun('adam', 0, { epochs: 1 })], { started: new Date(0), t0: 0, data: undefined, workers: 1, command: 'kindling reproduce' });
    const { written, pytorch } = await writeResults(dir, on);
    const saved = (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { meta: { pytorch?: unknown } }).meta.pytorch;
    assert.ok(saved !== undefined && pytorch !== undefined);
    const json = JSON.parse(JSON.stringify(labJson(written, extras))) as Record<string, unknown>;
    assert.deepEqual(json['pytorch'], saved);
    assert.deepEqual((json['pytorch'] as { figures: unknown }).figures, JSON.parse(JSON.stringify(pytorch)), 'the figures the table shows');
    assert.deepEqual(Object.keys(json), ['summary', 'pytorch', 'runFolder', 'models', 'wallSeconds', 'commandSeconds', 'failures']);
    const off = buildResultsFile([chapterRun('baseline', 0, { epochs: 1 })], { started: new Date(0), t0: 0, data: undefined, workers: 1, command: 'kindling reproduce --epochs 1' });
    const none = await writeResults(dir, off);
    assert.deepEqual(Object.keys(labJson(none.written, { ...extras, nonFinite: [] })), ['summary', 'runFolder', 'models', 'wallSeconds', 'commandSeconds', 'failures']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
