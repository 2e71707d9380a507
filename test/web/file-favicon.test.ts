/**
 * A run's file opened on its own in the browser (a plot, results.json) leaves no error in the console: the
 * browser asks that sandboxed document's icon at /favicon.ico, which the server's cross-origin embedder policy
 * blocked ("ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep") when it answered 404 without
 * allowing it. It answers 204, no icon, open to any origin.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openPage, skipReason } from './browser-helpers.js';
import { browserLab } from './browser-lab.js';
import { raw } from './helpers.js';

/** Resolves once `server` has sent its answer to the next request for `path`. */
function answered(server: Server, path: string): Promise<void> {
  return new Promise((resolve) => {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      if (req.url !== path) return;
      server.off('request', onRequest);
      res.once('finish', () => resolve());
    };
    server.on('request', onRequest);
  });
}

describe("a run's files opened on their own (headless Chromium)", { skip: skipReason() }, () => {
  const lab = browserLab((runs) => {
    mkdirSync(join(runs, 'r1'), { recursive: true });
    writeFileSync(join(runs, 'r1', 'results.json'), '{ "runs": [] }\n');
    writeFileSync(join(runs, 'r1', 'notes.txt'), 'a note\n');
  });

  test('/favicon.ico is answered with no icon, which any origin may ask for', async () => {
    const r = await raw(lab.server().port, 'GET', '/favicon.ico');
    assert.equal(r.status, 204);
    assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
  });

  test('results.json and a text file open with no error in the console', async () => {
    for (const file of ['results.json', 'notes.txt']) {
      // The browser asks for the icon itself, unseen by the page's network events: the server tells when it answered.
      const icon = answered(lab.server().app.server, '/favicon.ico');
      const { page, errors } = await openPage(lab.context(), `${lab.server().base}/files/r1/${file}`);
      await icon;
      // A round trip to the page after it, so that a refusal's console error would have come in.
      await page.evaluate(() => document.readyState);
      assert.deepEqual(errors, [], file);
      await page.close();
    }
  });
});
