import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebError } from '../../src/web/errors.js';
import { WorkLimit } from '../../src/web/work-limit.js';

test('a work limit that keeps no task waiting says so when busy, not "0 more are waiting"', async () => {
  const limit = new WorkLimit(1, 0, 'reference run');
  let release = (): void => undefined;
  const first = limit.run(() => new Promise<void>((r) => (release = r)));
  await assert.rejects(limit.run(async () => undefined), (err: unknown) => {
    assert.ok(err instanceof WebError && err.statusCode === 503);
    assert.equal(err.message, 'the server is busy: it is running 1 reference run, the most it runs at once, and keeps none waiting; try again in a few seconds');
    return true;
  });
  release();
  await first;
});
