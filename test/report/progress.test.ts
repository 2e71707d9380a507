// plotProgress, the chapter's plot_progress() for your own training loop: the recorded losses as dots in a PNG or
// SVG written atomically, with clear errors for what it cannot draw.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { plotProgress } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A falling, noisy loss curve, as a chapter run records it every 10 steps. */
const losses = Array.from({ length: 600 }, (_, i) => 0.25 * Math.exp(-i / 150) + 0.05 * ((i * 7919) % 13) / 13);

test('plotProgress writes the recorded losses as a PNG or an SVG, chosen by the file name', async () => {
  const png = join(dir, 'progress.png');
  await plotProgress(losses, png);
  const image = PNG.sync.read(readFileSync(png));
  assert.ok(image.width > 1400 && image.height > 600, `a 2× plot of 720 × 320 plus axes, got ${image.width} × ${image.height}`);

  const svgPath = join(dir, 'progress.svg');
  await plotProgress([...losses.slice(0, 299), Number.NaN, 3], svgPath, { every: 100, title: 'My classifier', lossName: 'MSE' });
  const svg = readFileSync(svgPath, 'utf8');
  assert.match(svg, /^<svg/);
  assert.match(svg, /My classifier/);
  assert.match(svg, />MSE</);
  assert.match(svg, /dots: the 301 recorded losses \(one per 100 steps\); 1 above 1 not shown/);
  // 299 dots: the NaN is left out, and the 3 is above the chart.
  assert.equal(svg.match(/<path transform="translate\([^"]*\)" d="M1,0A1,1,0,1,1,-1,0A1,1,0,1,1,1,0"/g)?.length, 299);
  assert.match(svg, /30,000/, 'the x axis counts steps: 301 records × 100');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

test('plotProgress refuses what it cannot draw, before drawing anything', async () => {
  const target = join(dir, 'refused.png');
  await assert.rejects(plotProgress(losses, join(dir, 'progress.jpg')), /plotProgress: the file name must end in \.png or \.svg, got the string ".*progress\.jpg"/);
  await assert.rejects(plotProgress([], target), /plotProgress: expects a non-empty array of recorded losses, got an empty one/);
  await assert.rejects(plotProgress([0.5, '0.4' as unknown as number], target), /plotProgress: loss 1 is not a number \(the string "0\.4"\); record loss\.item\(\)/);
  await assert.rejects(plotProgress(losses, target, { every: 0 }), /every must be a positive integer/);
  await assert.rejects(plotProgress(losses, target, { scale: '2' as unknown as number }), /plotProgress: scale must be a number above 0 and at most 8 \(PNG pixels per SVG pixel\), got the string "2"/);
  await assert.rejects(plotProgress(losses, target, { title: 5 as unknown as string }), /plotProgress: title must be a string, got the number 5/);
  await assert.rejects(plotProgress(losses, target, { width: 10 }), /plotProgress: width must be a whole number of pixels from 50 to 4000, got the number 10/);
  await assert.rejects(plotProgress(losses, target, { evry: 10 } as unknown as { every: number }), /plotProgress: unknown option "evry" \(did you mean every\?\)/);
  assert.equal(existsSync(target), false);
});
