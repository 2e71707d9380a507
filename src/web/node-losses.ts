/**
 * Node's own first-epoch losses for a small run, so the page can show that training in the browser with the same
 * seed gives the same numbers. The run goes through the lab's pool (one worker thread) so the server keeps
 * answering while it trains; results are cached, since the same spec always gives the same losses.
 */
import { cpus } from 'node:os';
import { variantList } from '../cli/options.js';
import { runPool } from '../lab/pool.js';
import type { RunSpec } from '../lab/trainer.js';
import { findVariant } from '../lab/variants.js';
import type { DataCache } from './data-cache.js';
import { WebError } from './errors.js';
import type { ReferenceLosses } from './shared/api-types.js';
import { WorkLimit } from './work-limit.js';

/** The largest browser-comparison run the server agrees to train for a page. */
export const REFERENCE_LIMITS = { trainLimit: 5000, testLimit: 2000, seed: 2 ** 32 - 1 } as const;

type Obj = Record<string, unknown>;

function intField(body: Obj, field: string, min: number, max: number, fallback?: number): number {
  const v = body[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new WebError(400, `${field}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v) ?? 'nothing'}`);
  }
  return v;
}

/**
 * The spec of a browser-comparison run: one epoch, one image per step, of a chapter variant.
 * @throws WebError 400 naming the field for anything else.
 */
export function parseReferenceRequest(body: unknown): RunSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WebError(400, 'expected a JSON object such as {"variant": "adam", "seed": 0, "trainLimit": 1000, "testLimit": 500}');
  }
  const obj = body as Obj;
  for (const k of Object.keys(obj)) {
    if (!['variant', 'seed', 'trainLimit', 'testLimit'].includes(k)) throw new WebError(400, `unknown field "${k}"; expected variant, seed, trainLimit, testLimit`);
  }
  if (typeof obj['variant'] !== 'string') throw new WebError(400, 'variant: expected the name of a variant, e.g. "adam"');
  let name: string;
  try {
    const names = variantList(obj['variant']);
    if (names.length !== 1) throw new WebError(400, 'variant: expected one variant');
    name = names[0]!;
  } catch (err) {
    throw err instanceof WebError ? err : new WebError(400, `variant: ${(err as Error).message}`);
  }
  const v = findVariant(name)!;
  return {
    variant: v.name,
    label: v.label,
    config: v.config,
    seed: intField(obj, 'seed', 0, REFERENCE_LIMITS.seed, 0),
    epochs: 1,
    batchSize: 1,
    trainLimit: intField(obj, 'trainLimit', 1, REFERENCE_LIMITS.trainLimit),
    testLimit: intField(obj, 'testLimit', 1, REFERENCE_LIMITS.testLimit, 500),
  };
}

/** Specs remembered; beyond this the oldest is forgotten (a page asks for a handful). */
const MAX_CACHED = 32;

/** How many reference runs train at once and wait (each is a worker thread of some 12 MB, busy for seconds). */
export interface ReferenceLimits {
  /** Default: two, or one on a single core. */
  readonly running?: number;
  /** Default 8; one more request is refused with 503. */
  readonly waiting?: number;
}

/** Trains reference runs on demand, a few at a time, and remembers them. */
export class NodeLosses {
  private readonly cache = new Map<string, Promise<ReferenceLosses>>();
  private readonly limit: WorkLimit;

  constructor(private readonly data: DataCache, private readonly kernels: () => string, limits: ReferenceLimits = {}) {
    this.limit = new WorkLimit(limits.running ?? Math.min(2, Math.max(1, cpus().length)), limits.waiting ?? 8, 'reference run for a page', 'reference runs for a page');
  }

  /** Node's losses for `spec` (trained once, then served from memory). */
  get(spec: RunSpec): Promise<ReferenceLosses> {
    const key = JSON.stringify(spec);
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.limit.run(() => this.train(spec));
      this.cache.set(key, hit);
      if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  private async train(spec: RunSpec): Promise<ReferenceLosses> {
    const { train, test } = this.data.get();
    const [outcome] = await runPool([spec], { workers: 1, train, test, progressEvery: 1_000_000 });
    if (outcome === undefined || !outcome.ok) throw new Error(`the reference run failed: ${outcome && !outcome.ok ? outcome.message : 'no outcome'}`);
    const r = outcome.result;
    return { losses: [...r.losses], lossEvery: r.lossEvery, accuracy: r.accuracy, trainSeconds: r.trainSeconds, kernels: this.kernels() };
  }
}
