/** Headless Chromium for the web tests: launch (or a clear reason to skip), scripted strokes, screenshots. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot, tempDir } from './helpers.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false when they can. */
export function skipReason(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium); the browser tests are skipped`;
}

/** Bundles the page scripts from the current sources (what `npm run build` does), so the pages test this code. */
export function bundlePages(): void {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'bundle-web.mjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/bundle-web.mjs failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Debian's Chromium, headless, with a fresh profile and everything that phones home turned off. Its scrollbars take
 * no room, as on a phone, unless `scrollbars` (then classic ones, as on a desktop).
 */
export async function launchChromium(options: { scrollbars?: boolean } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = tempDir('kindling-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.scrollbars === true ? { ignoreDefaultArgs: ['--hide-scrollbars'] } : {}),
    viewport: { width: 1200, height: 900 },
    hasTouch: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      // Chromium may still be flushing its profile for a moment after closing; a leftover temp folder is harmless.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch {
        // left for the OS to clean
      }
    },
  };
}

/** Where screenshots go for people to look at (gitignored). */
export function screenshotPath(name: string): string {
  const dir = join(repoRoot(), 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Collects the page's script errors, so a test can fail on them with the message. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/**
 * Waits for "Train in this browser" to end on the Draw page: its verdict, or else its failure, which fails the test at
 * once with what the page says (its status line and script errors) instead of a bare timeout.
 */
export async function browserTrainingVerdict(page: Page, errors: readonly string[], timeout = 60_000): Promise<Locator> {
  const verdict = page.locator('#bt-verdict');
  const failed = page.locator('#bt-status .verdict.bad');
  try {
    await verdict.or(failed).first().waitFor({ timeout });
  } catch (err) {
    throw new Error(`no verdict after ${timeout / 1000} s; the page says "${await page.locator('#bt-status').textContent()}"; page errors: ${errors.join('; ') || 'none'}`, { cause: err });
  }
  if (await failed.count() > 0) throw new Error(`"Train in this browser" failed: ${await failed.textContent()}; page errors: ${errors.join('; ') || 'none'}`);
  return verdict;
}

/**
 * Opens `url` in a new page of `browser`, checks it answered 200, and brings it to the front (pages redraw on
 * animation frames, which a page in the background may not get). Returns the page and its collected script errors.
 */
export async function openPage(browser: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const status = (await page.goto(url))?.status();
  if (status !== 200) throw new Error(`${url} answered ${status ?? 'nothing'}, expected 200`);
  await page.bringToFront();
  return { page, errors };
}

/** Draws strokes (each a list of canvas points, 280 × 280 coordinates) with the mouse on `#pad`. */
export async function drawStrokes(page: Page, strokes: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  if (box === null) throw new Error('#pad is not visible');
  const at = (p: readonly [number, number]): [number, number] => [box.x + (p[0] * box.width) / 280, box.y + (p[1] * box.height) / 280];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}

/** Draws strokes with a finger: touch events through the DevTools protocol (the page sees pointer events of type touch). */
export async function touchStrokes(page: Page, strokes: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): Promise<void> {
  const box = await page.locator('#pad').boundingBox();
  if (box === null) throw new Error('#pad is not visible');
  const cdp = await page.context().newCDPSession(page);
  const at = (p: readonly [number, number]): { x: number; y: number } => ({ x: box.x + (p[0] * box.width) / 280, y: box.y + (p[1] * box.height) / 280 });
  for (const stroke of strokes) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(stroke[0]!)] });
    for (let i = 1; i < stroke.length; i++) {
      const [a, b] = [stroke[i - 1]!, stroke[i]!];
      for (let k = 1; k <= 4; k++) {
        const t = k / 4;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t])] });
      }
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

/** Waits until the page has drawn two more frames, so work scheduled for the next frame is done. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Hand-drawn-looking digits as strokes on the 280 × 280 pad. */
export const DIGIT_STROKES: Readonly<Record<number, ReadonlyArray<ReadonlyArray<readonly [number, number]>>>> = {
  0: [Array.from({ length: 41 }, (_, i) => {
    const t = (i / 40) * 2 * Math.PI - Math.PI / 2;
    return [140 + 62 * Math.cos(t), 140 + 95 * Math.sin(t)] as const;
  })],
  1: [[[150, 45], [146, 110], [141, 180], [137, 235]]],
  7: [[[72, 62], [140, 60], [208, 60], [175, 120], [145, 180], [122, 236]]],
};

/** Bounding box, centre of mass and ink of a 28 × 28 image, to check it looks like an MNIST digit. */
export function digitShape(pixels: readonly number[]): { width: number; height: number; cx: number; cy: number; inked: number } {
  let x0 = 28;
  let x1 = -1;
  let y0 = 28;
  let y1 = -1;
  let mass = 0;
  let mx = 0;
  let my = 0;
  let inked = 0;
  pixels.forEach((v, i) => {
    if (v === 0) return;
    const x = i % 28;
    const y = Math.floor(i / 28);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
    mass += v;
    mx += v * (x + 0.5);
    my += v * (y + 0.5);
    inked++;
  });
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, cx: mx / mass, cy: my / mass, inked };
}
