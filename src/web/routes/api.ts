/** The JSON (and binary) API the pages use: runs, models, the training queue with its event stream, and data. */
import type { FastifyInstance } from 'fastify';
import type { DataCache } from '../data-cache.js';
import { WebError } from '../errors.js';
import { parseJobRequest } from '../job-spec.js';
import { requireBody } from '../json-body.js';
import type { JobQueue } from '../jobs.js';
import { listModels } from '../model-index.js';
import { parseReferenceRequest, type NodeLosses } from '../node-losses.js';
import { describeRun, listRuns } from '../runs-index.js';
import { urlSegments } from '../safe-path.js';
import { encodeSplitSlice } from '../shared/split-bytes.js';
import { openEventStream, type EventStream } from '../sse.js';

export interface ApiDeps {
  readonly runsRoot: string;
  readonly queue: JobQueue;
  readonly data: DataCache;
  readonly nodeLosses: NodeLosses;
  /** Made once per server start: a page whose stream says hello with another id knows the server was restarted. */
  readonly serverId: string;
}

/** What `registerApi` hands back: the server closes the event streams itself, once the queue has stopped. */
export interface ApiHandle {
  /** Ends every open event stream (after the last job events have been sent). */
  closeStreams(): void;
}

/** Most images one data request returns (all of MNIST's training set is 47 MB; a page needs a slice). */
export const MAX_DATA_IMAGES = 10000;

function positiveIntQuery(value: unknown, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new WebError(400, `${field}: expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** Registers `/api/*` on `app`. */
export function registerApi(app: FastifyInstance, deps: ApiDeps): ApiHandle {
  const streams = new Set<EventStream>();

  app.get('/api/runs', async () => listRuns(deps.runsRoot));

  app.get<{ Params: { name: string } }>('/api/runs/:name', async (req) => {
    const segments = urlSegments(encodeURIComponent(req.params.name));
    const run = segments?.length === 1 ? describeRun(deps.runsRoot, segments[0]!) : null;
    if (run === null) throw new WebError(404, `there is no run folder named ${JSON.stringify(req.params.name)}`);
    return run;
  });

  app.get('/api/models', async () => listModels(deps.runsRoot));

  app.get('/api/jobs', async () => deps.queue.list());

  app.post('/api/jobs', async (req, reply) => {
    const { train, test } = deps.data.get();
    const plan = parseJobRequest(requireBody(req.body), { train: train.count, test: test.count });
    const { job, message } = deps.queue.submit(plan);
    return reply.code(202).send({ job, message });
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (req) => {
    const job = deps.queue.get(req.params.id);
    if (job === undefined) throw new WebError(404, `there is no job ${JSON.stringify(req.params.id)}`);
    return job;
  });

  app.post<{ Params: { id: string } }>('/api/jobs/:id/stop', async (req) => deps.queue.stop(req.params.id));

  app.get('/api/events', (req, reply) => {
    // HEAD: the stream's headers alone (the stream itself never ends).
    if (req.method === 'HEAD') return reply.code(200).type('text/event-stream').header('Cache-Control', 'no-cache').send();
    reply.hijack();
    let unsubscribe = (): void => {};
    const stream = openEventStream(req.raw, reply.raw, () => {
      unsubscribe();
      streams.delete(stream);
    });
    streams.add(stream);
    stream.send('hello', { jobs: deps.queue.list(), server: deps.serverId });
    unsubscribe = deps.queue.subscribe((e) => {
      if (e.type === 'job') stream.send('job', e.job);
      else stream.send('progress', e.progress);
    });
  });

  app.get<{ Params: { split: string }; Querystring: { limit?: string } }>('/api/data/:split', async (req, reply) => {
    const split = req.params.split;
    if (split !== 'train' && split !== 'test') throw new WebError(404, `there is no data split ${JSON.stringify(split)}; use train or test`);
    const limit = positiveIntQuery(req.query.limit, 'limit', 1000, MAX_DATA_IMAGES);
    const bytes = encodeSplitSlice(deps.data.get()[split], limit);
    return reply.type('application/octet-stream').header('Cache-Control', 'no-cache').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  });

  app.post('/api/reference', async (req) => deps.nodeLosses.get(parseReferenceRequest(requireBody(req.body))));

  return {
    closeStreams() {
      for (const s of [...streams]) s.close();
    },
  };
}
