/**
 * The lab's web server (`kindling serve`): the Runs, Train and Draw pages, their API, and the run folders' files.
 * Safe by default: it listens on 127.0.0.1, answers only to local host names (no DNS rebinding), refuses
 * cross-site writes, serves nothing outside the runs folder and the bundled scripts, limits and validates request
 * bodies, and turns every failure into a JSON or HTML error rather than a crash.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { getBackend } from '../kernels/backend.js';
import { KindlingError } from '../errors.js';
import { DataCache } from './data-cache.js';
import { WebError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { sendError, shortUrl } from './error-reply.js';
import { createLabExecutor } from './job-runner.js';
import { JobQueue, type JobExecutor } from './jobs.js';
import { NodeLosses, type ReferenceLimits } from './node-losses.js';
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
  /** How many of the Train page's reference runs (`POST /api/reference`) train at once and wait. */
  readonly referenceLimits?: ReferenceLimits;
}

export interface LabServer {
  readonly app: FastifyInstance;
  readonly queue: JobQueue;
  /** The training data, loaded on first use (call `data.get()` to load it now and surface a bad `--data`). */
  readonly data: DataCache;
  readonly runsRoot: string;
  readonly assetsDir: string;
  /** Unique to this server start; the event stream's hello carries it, so a page can tell a restarted server. */
  readonly serverId: string;
}

/** The bundled page scripts of this installation: `dist/web/`, next to `dist/src/`. */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

/** Longest path parameter (such as a run folder's name) the router accepts, in characters as sent. */
const MAX_PARAM_LENGTH = 1024;

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function hostName(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The framework's refusals of a request body, in words that say what to send instead. */
function clientErrorMessage(err: FastifyError, bodyLimit: number): string {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return `send the body as JSON, with Content-Type: application/json (${err.message})`;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return `the body is larger than the ${bodyLimit.toLocaleString('en-US')} bytes this server reads`;
  return err.message;
}

/** Builds the server (not yet listening). */
export function createLabServer(options: ServerOptions = {}): LabServer {
  const runsRoot = resolve(options.runsDir ?? 'runs');
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const host = options.host ?? '127.0.0.1';
  const data = new DataCache(options.data);
  const executor = options.executor ?? createLabExecutor({ runsRoot, data, ...(options.workers === undefined ? {} : { workers: options.workers }) });
  const queue = new JobQueue(executor, options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued });
  const nodeLosses = new NodeLosses(data, () => (getBackend() === 'wasm' ? 'WebAssembly SIMD kernels' : 'reference TypeScript kernels'), options.referenceLimits);
  const serverId = randomUUID();
  const bodyLimit = options.bodyLimit ?? 64 * 1024;
  const app = Fastify({
    logger: false,
    bodyLimit,
    // A run folder's name is at most 255 bytes, up to three times as long percent-encoded: such a name gets an
    // answer from its route (404 when there is no such run), never the framework's.
    // `/runs/` is `/runs`, as people type it.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    return503OnClosing: true,
    // What the router refuses before any route runs (a malformed escape, an over-long name) is answered in the
    // server's own format too: an HTML page for a page's address, JSON for the API.
    frameworkErrors: (err, req, reply) => {
      const url = shortUrl(req.raw.url ?? '');
      if (err.code === 'FST_ERR_BAD_URL') return sendError(req, reply, 400, `the address ${url} is not a valid URL: it holds a %-escape that is not valid (a literal % is written %25, and escapes must decode to UTF-8 text)`);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(req, reply, 414, `the address ${url} is too long: a name in it may have at most ${MAX_PARAM_LENGTH} characters`);
      return sendError(req, reply, 400, `the request for ${url} could not be read: ${err.message}`);
    },
  });

  // Only JSON bodies: a cross-site form can send text/plain or form data without asking, never JSON.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as WebError, undefined);
    }
  });

  app.addHook('onRequest', async (req) => {
    // Bound to a loopback address, answer only to loopback names: a DNS-rebinding page cannot reach us.
    if (isLoopback(host) && !isLoopback(hostName(req.headers.host ?? ''))) {
      throw new WebError(403, `this server answers only to local addresses such as 127.0.0.1 (got Host: ${req.headers.host ?? 'none'})`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // `Origin: null` comes from sandboxed frames, data: and file: pages: another site as much as any (a body-less
      // POST such as a job's stop needs no preflight).
      const origin = req.headers.origin;
      if (origin !== undefined) {
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

  // Cross-origin isolation: no other origin's window or resource shares the pages' process. The WebAssembly kernels
  // no longer need it (their memory is not shared); everything the pages load comes from this server, so nothing is
  // blocked by it.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Embedder-Policy', 'require-corp');
  });

  // Every route as registered (its methods and its path pattern), so that an address served under other methods is
  // answered 405 with the ones it takes, not 404.
  const routes: { methods: string[]; path: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = route.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    routes.push({ methods, path: new RegExp(`^${pattern}$`) });
  });
  const api = registerApi(app, { runsRoot, queue, data, nodeLosses, serverId });
  registerStatic(app, { runsRoot, assetsDir });

  app.setNotFoundHandler((req, reply) => {
    const path = (req.raw.url ?? '').split('?')[0]!;
    const allowed = [...new Set(routes.filter((r) => r.path.test(path)).flatMap((r) => r.methods))];
    // (A method the pattern takes that the router still did not match, `/files/` with nothing after it: not found.)
    if (allowed.length === 0 || allowed.includes(req.method)) return sendError(req, reply, 404, 'not found');
    return sendError(req, reply.header('Allow', allowed.join(', ')), 405, `${shortUrl(path)} takes ${allowed.join(' or ')}, not ${req.method}`);
  });

  app.setErrorHandler((err: FastifyError | WebError, req, reply) => {
    const status = err instanceof WebError ? err.statusCode : typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // A WebError is a refusal we meant, whatever its status (503: busy), with its message for the client.
    if (err instanceof WebError) return sendError(req, reply, status, err.message);
    if (status >= 500) {
      // A KindlingError (unreadable --data, a bad file in the runs folder) says what to fix; anything else is a bug.
      if (err instanceof KindlingError) return sendError(req, reply, 500, err.message);
      process.stderr.write(`kindling serve: ${req.method} ${req.url} failed: ${err.stack ?? err.message}\n`);
      return sendError(req, reply, 500, 'internal error; the server log has the details');
    }
    return sendError(req, reply, status, clientErrorMessage(err, bodyLimit));
  });

  // The queue first: the running job stops (or finishes) and its last events reach every page; then the streams.
  app.addHook('preClose', async () => {
    await queue.close();
    api.closeStreams();
  });

  return { app, queue, data, runsRoot, assetsDir, serverId };
}

/** True when the page scripts have been bundled into `assetsDir`. */
export function assetsBuilt(assetsDir: string): boolean {
  return ['runs.js', 'train.js', 'draw.js', 'train-worker.js'].every((f) => existsSync(resolve(assetsDir, f)));
}
