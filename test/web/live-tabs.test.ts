/**
 * Live job views across many tabs and a server restart, in headless Chromium against a real server (jobs run by a
 * hand-driven executor, so nothing trains): more tabs than the browser's six connections per host all load and
 * follow the jobs through one shared event stream, a tab closing hands the stream on, a browser without
 * BroadcastChannel still gets its own stream, and a restarted server's jobs replace the old ones in every tab.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createLabServer, type LabServer, type ServerOptions } from '../../src/web/server.js';
import { bundlePages, launchChromium, skipReason, watchErrors } from './browser-helpers.js';
import { manualExecutor, type ManualJob } from './fake-executor.js';
import { tempDir } from './helpers.js';

/** A lab server on `port` of 127.0.0.1 (0: any free port), run by a hand-driven executor. */
async function labServer(port: number, options: ServerOptions): Promise<{ server: LabServer; port: number; started: ManualJob[] }> {
  const { executor, started } = manualExecutor();
  const server = createLabServer({ ...options, executor });
  await server.app.listen({ port, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, port: address.port, started };
}

/** POSTs JSON on a connection of its own (a kept-alive one could lead to the server that was closed); the status. */
function post(port: number, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Reports `steps` progress events of the job's first run. */
function progress(job: ManualJob, steps: number): void {
  job.hooks.onRunStart(0);
  for (let step = 1; step <= steps; step++) {
    job.hooks.onProgress(0, { step, totalSteps: 100, epoch: 1, samples: step, loss: 1 / step, elapsedSeconds: step / 10 });
  }
}

describe('live jobs in many tabs and across a server restart (headless Chromium)', { skip: skipReason() }, () => {
  const base = tempDir();
  const runsDir = join(base, 'runs');
  let chromium: { context: BrowserContext; close(): Promise<void> } | undefined;
  let browser: BrowserContext;
  const servers: LabServer[] = [];

  before(async () => {
    bundlePages();
    chromium = await launchChromium();
    browser = chromium.context;
  });
  after(async () => {
    await chromium?.close();
    for (const s of servers) await s.app.close();
    rmSync(base, { recursive: true, force: true });
  });

  async function open(url: string, init?: () => void): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    if (init !== undefined) await page.addInitScript(init);
    let status: number | undefined;
    try {
      status = (await page.goto(url, { timeout: 15_000 }))?.status();
    } catch (err) {
      const tabs = browser.pages().length;
      throw new Error(`tab ${tabs} (${url}) did not load: the browser's connections to the server are all taken`, { cause: err });
    }
    assert.equal(status, 200, url);
    return { page, errors };
  }

  test('ten tabs of the Train and Runs pages all load, start a job and follow it; closing the tab holding the stream hands it on', async () => {
    const { server, port, started } = await labServer(0, { runsDir });
    servers.push(server);
    const origin = `http://127.0.0.1:${port}`;
    const tabs: Array<{ page: Page; errors: string[]; path: string }> = [];
    for (let i = 0; i < 10; i++) {
      const path = i % 2 === 0 ? '/train' : '/runs';
      tabs.push({ ...(await open(origin + path)), path });
    }
    // A tab past the sixth works: its form starts a job.
    const last = tabs[8]!;
    assert.equal(last.path, '/train');
    await last.page.bringToFront();
    await last.page.fill('input[name=trainLimit]', '100');
    await last.page.click('#start');
    await last.page.locator('#notice', { hasText: 'Job 1: Training started.' }).waitFor({ timeout: 10_000 });
    for (const [i, t] of tabs.entries()) {
      await t.page.locator('article.job[data-job="1"][data-status=running]').waitFor({ timeout: 10_000 }).catch((err: unknown) => {
        throw new Error(`tab ${i + 1} (${t.path}) does not show job 1 running`, { cause: err });
      });
    }

    // A tab opened now gets the current list, progress included, from the tab holding the stream.
    progress(started[0]!, 7);
    const late = await open(`${origin}/train`);
    await late.page.waitForFunction(() => document.querySelector('article.job[data-job="1"] .live-chart')?.getAttribute('data-points') === '7', null, { timeout: 10_000 });

    // The first tab holds the stream; once it closes, another takes over and every tab still hears the news.
    await tabs[0]!.page.close();
    started[0]!.finish({ stopped: false });
    for (const [i, t] of [...tabs.slice(1), { ...late, path: '/train' }].entries()) {
      await t.page.locator('article.job[data-job="1"][data-status=done]').waitFor({ timeout: 10_000 }).catch((err: unknown) => {
        throw new Error(`tab ${i + 2} (${t.path}) does not show job 1 done after the first tab closed`, { cause: err });
      });
    }
    const errors = [...tabs.slice(1), late].flatMap((t) => t.errors);
    assert.deepEqual(errors, []);
    for (const t of [...tabs.slice(1), late]) await t.page.close();
  });

  test('without BroadcastChannel a tab opens its own stream and still follows the jobs', async () => {
    const { server, port, started } = await labServer(0, { runsDir });
    servers.push(server);
    const { page, errors } = await open(`http://127.0.0.1:${port}/train`, () => {
      delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel;
    });
    assert.equal(await page.evaluate(() => typeof BroadcastChannel), 'undefined');
    assert.equal(await post(port, '/api/jobs', { variants: 'baseline' }), 202);
    await page.locator('article.job[data-job="1"][data-status=running]').waitFor({ timeout: 10_000 });
    started[0]!.finish({ stopped: false });
    await page.locator('article.job[data-job="1"][data-status=done]').waitFor({ timeout: 10_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("after a restart, every tab drops the old server's jobs, and a new job 1 gets its own card", async () => {
    const first = await labServer(0, { runsDir });
    const port = first.port;
    const origin = `http://127.0.0.1:${port}`;
    const train = await open(`${origin}/train`);
    const runs = await open(`${origin}/runs`);
    const fallback = await open(`${origin}/train`, () => {
      delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel;
    });
    // Job 1 (started from the form) runs and finishes, several revisions on; job 2 then runs.
    await train.page.bringToFront();
    await train.page.fill('input[name=trainLimit]', '100');
    await train.page.click('#start');
    await train.page.locator('#notice', { hasText: 'Job 1: Training started.' }).waitFor({ timeout: 10_000 });
    assert.equal(await post(port, '/api/jobs', { variants: 'baseline' }), 202);
    progress(first.started[0]!, 3);
    first.started[0]!.finish({ stopped: false });
    for (const t of [train, runs, fallback]) await t.page.locator('article.job[data-job="1"][data-status=done]').waitFor({ timeout: 10_000 });
    for (const t of [train, fallback]) await t.page.locator('article.job[data-job="2"][data-status=running]').waitFor({ timeout: 10_000 });
    const oldTitle = first.server.queue.get('1')!.title;

    await first.server.app.close();
    // While the server is away, every tab says so, instead of showing its last state as if it were current.
    for (const t of [train, runs, fallback]) await t.page.locator('#server-offline:not([hidden])').waitFor({ timeout: 10_000 });
    assert.match((await train.page.locator('#server-offline').textContent()) ?? '', /^The server is not answering \(was it stopped\?\)/);
    const second = await labServer(port, { runsDir });
    servers.push(second.server);
    // The new server's job 1 is another job, at a lower revision than the old job 1's last.
    assert.equal(await post(port, '/api/jobs', { variants: 'adam', epochs: 2 }), 202);
    const newTitle = second.server.queue.get('1')!.title;
    assert.notEqual(newTitle, oldTitle);
    assert.ok(second.server.queue.get('1')!.revision < first.server.queue.get('1')!.revision, 'the test needs an older-looking new job');

    for (const [name, t] of [['Train', train], ['Runs', runs], ['Train without BroadcastChannel', fallback]] as const) {
      const card = t.page.locator('article.job[data-job="1"]');
      // EventSource reconnects about 2 s after the server went away.
      await t.page.locator('article.job[data-job="1"][data-status=running]').waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
        throw new Error(`${name} tab: job 1 of the new server not shown running; the card says "${await card.textContent()}"`, { cause: err });
      });
      assert.match((await card.locator('h3').textContent()) ?? '', new RegExp(`^Job 1: ${newTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), `${name} tab`);
      assert.equal(await t.page.locator('article.job').count(), 1, `${name} tab: only the new server's job is listed`);
    }
    assert.match((await train.page.locator('#notice').textContent()) ?? '', /server was restarted/);
    for (const t of [train, runs, fallback]) assert.equal(await t.page.locator('#server-offline').isHidden(), true, 'the banner goes when the stream is back');

    // The new job's updates reach its card (its revisions are not compared with the old job's).
    second.started[0]!.finish({ stopped: false });
    for (const t of [train, runs, fallback]) await t.page.locator('article.job[data-job="1"][data-status=done]').waitFor({ timeout: 10_000 });
    // The notice of the first tab does not take the new job 1 for the one it started.
    assert.doesNotMatch((await train.page.locator('#notice').textContent()) ?? '', /Job 1 has finished/);
    assert.deepEqual([...train.errors, ...runs.errors, ...fallback.errors].filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|EventSource/i.test(e)), []);
    for (const t of [train, runs, fallback]) await t.page.close();
  });
});
