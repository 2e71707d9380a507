/** Shared helpers of the web tests: temporary runs folders, a listening server, and raw HTTP requests. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { createLabServer, type LabServer, type ServerOptions } from '../../src/web/server.js';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';

import { scratchDir } from '../shared.js';
export { repoRoot } from '../shared.js';

export function tempDir(prefix = 'kindling-web-'): string {
  return scratchDir(prefix);
}

export interface Listening extends LabServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a lab server on `port` of 127.0.0.1 (0, the default: a free one the system picks). */
export async function listen(options: ServerOptions = {}, port = 0): Promise<Listening> {
  const server = createLabServer(options);
  await server.app.listen({ port, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { ...server, base: `http://127.0.0.1:${address.port}`, port: address.port, close: () => server.app.close() };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * An HTTP request whose path is sent exactly as given: browsers and `fetch` normalise `..` and some escapes
 * before sending, so traversal tests need this.
 */
export function raw(port: number, method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Sends raw bytes on a TCP connection and returns whatever comes back before the server closes it (or 1 s). */
export function rawSocket(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('error', done);
    socket.setTimeout(1000, done);
    socket.write(bytes);
  });
}

/** POSTs JSON with `fetch` and returns the status and parsed body. */
export async function postJson(base: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Statuses a job does not leave. */
const FINAL = ['done', 'failed', 'stopped', 'cancelled'];

/**
 * Waits for the queue to report job `id` in one of `statuses`; rejects, with the job's message, when it ends in
 * another (rather than waiting for ever).
 */
export function waitForJob(s: Listening, id: string, statuses: readonly string[]): Promise<JobSnapshot> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const job = s.queue.get(id);
      if (job === undefined) return;
      if (statuses.includes(job.status)) {
        unsubscribe();
        resolve(job);
      } else if (FINAL.includes(job.status)) {
        unsubscribe();
        reject(new Error(`job ${id} ended ${job.status}, not ${statuses.join(' or ')}: ${job.message ?? ''}`));
      }
    };
    const unsubscribe = s.queue.subscribe(check);
    check();
  });
}
