/**
 * The lab's web server (`kindling serve`): the Runs, Train and Draw pages, their API, and the run folders' files.
 * Safe by default: it listens on 127.0.0.1, answers only to local host names (no DNS rebinding), refuses
 * cross-site writes, serves nothing outside the runs folder and the bundled scripts, limits and validates request
 * bodies, and turns every failure into a JSON or HTML error rather than a crash.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { getBackend } from '../kernels/backend.js';
import { KindlingError } from '../errors.js';
import { DataCache } from './data-cache.js';
import { WebError } from './errors.js';
import { createLabExecutor } from './job-runner.js';
import { JobQueue, type JobExecutor } from './jobs.js';
import { NodeLosses } from './node-losses.js';
import { notFoundPage } from './pages/layout.js';
import { registerApi } from './routes/api.js';
import { registerStatic } from './routes/static.js';

export interface ServerOptions {
  /** The runs folder: listed, served, and where new runs are written (default `runs`). */
  readonly runsDir?: string;
  /** Training data as `--data` takes it (default: the embedded MNIST). */
  readonly data?: string;
  /** Address the server is meant for; decides which Host headers it answers (default 127.0.0.1). */
  readonly host?: string;
  /** Worker threads per training job (default: one per core). */
  readonly workers?: number;
  /** Where the bundled page scripts are (default: `dist/web/` of this installation). */
  readonly assetsDir?: string;
  /** Runs training jobs; tests may give their own (default: the lab's worker pool). */
  readonly executor?: JobExecutor;
  /** Jobs that may wait behind the running one (default 3). */
  readonly maxQueued?: number;
  /** Largest request body in bytes (default 64 KiB; the forms send a few hundred). */
  readonly bodyLimit?: number;
}

export interface LabServer {
  readonly app: FastifyInstance;
  readonly queue: JobQueue;
  /** The training data, loaded on first use (call `data.get()` to load it now and surface a bad `--data`). */
  readonly data: DataCache;
  readonly runsRoot: string;
  readonly assetsDir: string;
}

/** The bundled page scripts of this installation: `dist/web/`, next to `dist/src/`. */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostName(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Builds the server (not yet listening). */
export function createLabServer(options: ServerOptions = {}): LabServer {
  const runsRoot = resolve(options.runsDir ?? 'runs');
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const host = options.host ?? '127.0.0.1';
  const data = new DataCache(options.data);
  const executor = options.executor ?? createLabExecutor({ runsRoot, data, ...(options.workers === undefined ? {} : { workers: options.workers }) });
  const queue = new JobQueue(executor, options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued });
  const nodeLosses = new NodeLosses(data, () => (getBackend() === 'wasm' ? 'WebAssembly SIMD kernels' : 'reference TypeScript kernels'));
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 64 * 1024, routerOptions: { maxParamLength: 256 }, return503OnClosing: true });

  // Only JSON bodies: a cross-site form can send text/plain or form data without asking, never JSON.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req) => {
    // Bound to a loopback address, answer only to loopback names: a DNS-rebinding page cannot reach us.
    if (isLoopback(host) && !isLoopback(hostName(req.headers.host ?? ''))) {
      throw new WebError(403, `this server answers only to local addresses such as 127.0.0.1 (got Host: ${req.headers.host ?? 'none'})`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== 'null') {
        let originHost = '';
        try {
          originHost = new URL(origin).host;
        } catch {
          // An unparseable Origin is treated as foreign.
        }
        if (originHost !== req.headers.host) throw new WebError(403, `requests from another site (${origin}) may not change anything here`);
      }
    }
  });

  // Cross-origin isolation: pages and their workers get SharedArrayBuffer, which the WebAssembly kernels' shared
  // memory needs. Everything the pages load comes from this server, so nothing is blocked by it.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Embedder-Policy', 'require-corp');
  });

  registerApi(app, { runsRoot, queue, data, nodeLosses });
  registerStatic(app, { runsRoot, assetsDir });

  app.setNotFoundHandler((req, reply) => {
    const url = req.raw.url ?? '';
    if (url.startsWith('/api/') || url.startsWith('/files/') || url.startsWith('/assets/')) {
      return reply.code(404).send({ error: 'not found' });
    }
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
  });

  app.setErrorHandler((err: FastifyError | WebError, req, reply) => {
    const status = err instanceof WebError ? err.statusCode : typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      // A KindlingError (unreadable --data, a bad file in the runs folder) says what to fix; anything else is a bug.
      if (err instanceof KindlingError) return reply.code(500).send({ error: err.message });
      process.stderr.write(`kindling serve: ${req.method} ${req.url} failed: ${err.stack ?? err.message}\n`);
      return reply.code(500).send({ error: 'internal error; the server log has the details' });
    }
    const url = req.raw.url ?? '';
    if (status === 404 && !url.startsWith('/api/') && !url.startsWith('/files/') && !url.startsWith('/assets/')) {
      return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
    }
    return reply.code(status).send({ error: err.message });
  });

  app.addHook('preClose', async () => {
    await queue.close();
  });

  return { app, queue, data, runsRoot, assetsDir };
}

/** True when the page scripts have been bundled into `assetsDir`. */
export function assetsBuilt(assetsDir: string): boolean {
  return ['runs.js', 'train.js', 'draw.js', 'train-worker.js'].every((f) => existsSync(resolve(assetsDir, f)));
}
