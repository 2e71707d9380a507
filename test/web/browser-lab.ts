/**
 * A lab server whose jobs the test drives by hand, with headless Chromium beside it: made before the tests of the
 * suite (or file) that calls `browserLab`, closed and removed after them.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { bundlePages, launchChromium, openPage } from './browser-helpers.js';
import { manualExecutor } from './fake-executor.js';
import { listen, postJson, tempDir, type Listening } from './helpers.js';

export interface BrowserLab {
  /** The temporary folder; the server's runs folder is `runs` in it. */
  readonly base: string;
  /** The jobs started, for the test to move along (`manual.started[0].finish(…)`). */
  readonly manual: ReturnType<typeof manualExecutor>;
  /** The server, once `before` has run. */
  server(): Listening;
  /** Chromium's context, once `before` has run. */
  context(): BrowserContext;
}

/**
 * Registers the hooks; `prepare` runs first in `before`, to put files in the runs folder. `browser` is how Chromium
 * is launched (`launchChromium`'s options).
 */
export function browserLab(prepare?: (runs: string) => void, browser: Parameters<typeof launchChromium>[0] = {}): BrowserLab {
  const base = tempDir();
  const runs = join(base, 'runs');
  const manual = manualExecutor();
  let s: Listening | undefined;
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  before(async () => {
    prepare?.(runs);
    bundlePages();
    s = await listen({ runsDir: runs, executor: manual.executor });
    chromium = await launchChromium(browser);
  });
  after(async () => {
    await chromium?.close();
    await s?.close();
    rmSync(base, { recursive: true, force: true });
  });
  return { base, manual, server: () => s!, context: () => chromium!.context };
}

/**
 * A job of `lab` started and given 30 progress reports, and the Runs page opened at `width` × `height` once its live
 * chart shows them; the job, for the test to finish.
 */
export async function runsPageWithLiveJob(lab: BrowserLab, width: number, height: number): Promise<{ page: Page; errors: string[]; job: BrowserLab['manual']['started'][number] }> {
  const posted = await postJson(lab.server().base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 100 });
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  const job = lab.manual.started[0]!;
  job.hooks.onRunStart(0);
  for (let step = 1; step <= 30; step++) job.hooks.onProgress(0, { step, totalSteps: 100, epoch: 1, samples: step, loss: 0.5 / step, elapsedSeconds: step / 10 });
  const opened = await openPage(lab.context(), `${lab.server().base}/runs`);
  await opened.page.setViewportSize({ width, height });
  await opened.page.waitForFunction(() => Number(document.querySelector('.live-chart')?.getAttribute('data-points') ?? 0) >= 30);
  return { ...opened, job };
}
