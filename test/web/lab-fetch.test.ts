import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { labFetch, ServerUnreachable, UNREACHABLE } from '../../src/web/client/lab-fetch.js';
import { ApiError, fetchJson } from '../../src/web/client/dom.js';

/** A port nothing listens on: one the system gave out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('the pages\' requests to a server that is gone say so, instead of the browser\'s "Failed to fetch"', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/api/models`;
  await assert.rejects(labFetch(url), (err: Error) => err instanceof ServerUnreachable && err.message === UNREACHABLE && err.cause instanceof TypeError);
  await assert.rejects(fetchJson(url), (err: Error) => err.message === UNREACHABLE && !(err instanceof ApiError));
  // A sentence of the pages' own style: what happened and what to do, no Markdown, no reload (pages reconnect).
  assert.match(UNREACHABLE, /^The server is not answering \(was it stopped\?\)\. Start it again .*\.$/);
  assert.doesNotMatch(UNREACHABLE, /`|then reload/);
});
