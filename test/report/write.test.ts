import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { ResultsError, type ResultsFile } from '../../src/report/results.js';
import { validateResults } from '../../src/report/validate.js';
import { stringifyResults, writeRunFolder } from '../../src/report/write.js';
import { fakeResults, fakeRun, twoVariantResults } from './fixtures.js';
import { parseXml } from './xml.js';

function withTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-report-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('stringifyResults: indented objects, plain arrays on one line, NaN as null; parses back to the same value', () => {
  const value = { a: [1, 2.5, NaN], b: { c: [[1, 2], [3, 4]], d: 'x', e: undefined }, f: [] };
  const text = stringifyResults(value);
  assert.equal(text, '{\n  "a": [1,2.5,null],\n  "b": {\n    "c": [\n      [1,2],\n      [3,4]\n    ],\n    "d": "x"\n  },\n  "f": []\n}');
  assert.deepEqual(JSON.parse(text), { a: [1, 2.5, null], b: { c: [[1, 2], [3, 4]], d: 'x' }, f: [] });
});

test(
  'writeRunFolder writes results.json, the plots as SVG and PNG, and report.html',
  withTempDir(async (root) => {
    const dir = join(root, 'runs', 'test-run'); // does not exist yet: created
    const results = twoVariantResults(200);
    const files = await writeRunFolder(dir, results);
    const names = ['results.json', 'loss-baseline.svg', 'loss-baseline.png', 'loss-bce.svg', 'loss-bce.png', 'loss-all.svg', 'loss-all.png', 'report.html'];
    assert.deepEqual(files, names.map((n) => join(dir, n)));
    assert.deepEqual(readdirSync(dir).sort(), [...names].sort(), 'no temporary files left behind');
    const onDisk = validateResults(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    assert.deepEqual(onDisk, results);
    for (const name of names.filter((n) => n.endsWith('.svg'))) {
      const svg = parseXml(readFileSync(join(dir, name), 'utf8'));
      const png = PNG.sync.read(readFileSync(join(dir, name.replace('.svg', '.png'))));
      assert.equal(png.width, Number(svg.attrs['width']) * 2, name);
      assert.equal(png.height, Number(svg.attrs['height']) * 2, name);
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.ok(!html.includes('http://') && !html.includes('https://'));
    // The page embeds the very PNGs written beside it.
    const png = readFileSync(join(dir, 'loss-bce.png')).toString('base64');
    assert.ok(html.includes(`src="data:image/png;base64,${png}"`));
  }),
);

test(
  'runs of one variant get no "all variants" plot, which would repeat their own: none written, none in the report, an older one removed',
  withTempDir(async (root) => {
    const dir = join(root, 'one');
    mkdirSync(dir);
    // What an older Kindling wrote for this one-variant run, before it was resumed here.
    writeFileSync(join(dir, 'loss-all.svg'), '<svg/>');
    writeFileSync(join(dir, 'loss-all.png'), 'old');
    const results = fakeResults([fakeRun({ variant: 'custom', records: 50 }), fakeRun({ variant: 'custom', seed: 1, records: 50 })]);
    const files = await writeRunFolder(dir, results);
    const names = ['results.json', 'loss-custom.svg', 'loss-custom.png', 'report.html'];
    assert.deepEqual(files, names.map((n) => join(dir, n)));
    assert.deepEqual(readdirSync(dir).sort(), [...names].sort());
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /every variant/i);
    assert.deepEqual([...html.matchAll(/alt="([^"]*loss[^"]*)"/g)].map((m) => m[1]), ['Training loss of custom']);
  }),
);

test(
  'writeRunFolder stores non-finite losses as null, and refuses invalid results before writing anything',
  withTempDir(async (root) => {
    const results = twoVariantResults(50);
    const losses = [...results.runs[0]!.losses];
    losses[3] = NaN;
    const diverged: ResultsFile = { ...results, runs: [{ ...results.runs[0]!, losses }, ...results.runs.slice(1)] };
    await writeRunFolder(join(root, 'nan'), diverged);
    const saved = JSON.parse(readFileSync(join(root, 'nan', 'results.json'), 'utf8')) as { runs: { losses: unknown[] }[] };
    assert.equal(saved.runs[0]!.losses[3], null);

    const broken: ResultsFile = { ...results, runs: [{ ...results.runs[0]!, accuracy: 0.1 }, ...results.runs.slice(1)] };
    const dir = join(root, 'broken');
    await assert.rejects(writeRunFolder(dir, broken), (err: unknown) => {
      assert.ok(err instanceof ResultsError);
      assert.match(err.message, /broken[/\\]results\.json: runs\[0\]\.accuracy is 0\.1, expected /);
      return true;
    });
    assert.equal(existsSync(dir), false);
  }),
);
