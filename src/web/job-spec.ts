/**
 * Turns the Train form's JSON into the lab's plan, with the same parsers (and so the same messages) as the
 * command line: `{"variants": "baseline,adam", "seeds": "0,1", "epochs": 1, "trainLimit": 2000}` means what
 * `kindling reproduce --variants baseline,adam --seeds 0,1 --epochs 1 --train-limit 2000` means.
 */
import { InvalidArgumentError } from 'commander';
import type { PlannedRun } from '../cli/lab-options.js';
import { activationSpec, lossName, optimizerSpec, outputActivationSpec, positiveInt, positiveNumber, seedList, variantList } from '../cli/options.js';
import { LIMITS } from './shared/limits.js';
import { batchProblem } from '../lab/limits.js';
import { lossOutputProblem } from '../lab/output-range.js';
import { BASELINE, describeConfig, findVariant, labelWithLr } from '../lab/variants.js';
import { formatCountOf } from '../report/format.js';
import { DEFAULT_LR, type ActivationSpec, type RunConfig } from '../report/results.js';
import { runNameProblem } from '../report/run-name.js';
import { WebError } from './errors.js';

/** A validated job: what to train and how. */
export interface JobPlan {
  readonly planned: readonly PlannedRun[];
  readonly seeds: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr?: number;
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /** For people: "baseline, adam × seed 0 · 1 epoch · 2,000 images". */
  readonly title: string;
}

export { LIMITS };

const TOP_KEYS = new Set(['variants', 'custom', 'seeds', 'epochs', 'batchSize', 'lr', 'trainLimit', 'testLimit']);
const CUSTOM_KEYS = new Set(['activation', 'outputActivation', 'loss', 'optimizer', 'layerNorm', 'hidden', 'name']);
/** A run's name becomes part of file names (`loss-<name>.svg`), as the report layer requires. */

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields that take a list, as an array or as the CLI's comma-separated text; every other field takes one value. */
const LIST_FIELDS = new Set(['variants', 'seeds']);
/** The fields that count (epochs, images, units): integers, read exactly or not at all. */
const INTEGER_FIELDS = new Set(['seeds', 'epochs', 'batchSize', 'trainLimit', 'testLimit', 'custom.hidden']);

/** What a JSON value that is not a string or a number is: in an array of a list field, its first wrong element. */
function got(value: unknown, list: boolean): string {
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
  if (!Array.isArray(value)) return kind(value);
  if (!list) return 'an array';
  const i = value.findIndex((v) => typeof v !== 'string' && typeof v !== 'number');
  return `an array whose element ${i} is ${kind(value[i])}`;
}

/** Runs a CLI option parser on a JSON value (numbers and arrays are written as the CLI would read them). */
function parse<T>(field: string, value: unknown, parser: (s: string) => T): T {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new WebError(400, `${field}: expected a finite number`);
    // Beyond 2^53 the JSON number is already another integer: a count is refused here rather than echoed as that one.
    if (INTEGER_FIELDS.has(field) && !Number.isSafeInteger(value) && Number.isInteger(value)) throw new WebError(400, `${field}: ${value} is too large to be read exactly`);
    text = String(value);
  }
  else if (LIST_FIELDS.has(field) && Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) text = value.join(',');
  else throw new WebError(400, `${field}: expected ${LIST_FIELDS.has(field) ? 'a string, a number or an array of them' : 'a string or a number'}, got ${got(value, LIST_FIELDS.has(field))}`);
  try {
    return parser(text);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new WebError(400, `${field}: ${err.message}`);
    throw err;
  }
}

/** `obj[key]` parsed, or undefined when absent; errors name the field as `label` (default: the key). */
function optional<T>(obj: Obj, key: string, parser: (s: string) => T, label = key): T | undefined {
  return obj[key] === undefined ? undefined : parse(label, obj[key], parser);
}

function checkKeys(obj: Obj, allowed: ReadonlySet<string>, where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) throw new WebError(400, `${where}unknown field "${k}"; expected some of: ${[...allowed].join(', ')}`);
  }
}

function atMost(field: string, value: number, max: number): number {
  if (value > max) throw new WebError(400, `${field}: at most ${max} on this server, got ${value}`);
  return value;
}

/** The output activation `none` (outputActivationSpec keeps it as a string) as the config's null. */
function noneAsNull(spec: ActivationSpec | 'none'): ActivationSpec | null {
  return spec === 'none' ? null : spec;
}

/**
 * The fields of a request that are each wrong on their own, collected so that one answer names them all (the Train
 * form marks each under its field), one per line of the 400's message.
 */
class FieldProblems {
  private readonly messages: string[] = [];

  /** `read()`, or `fallback` when it refuses its field (the refusal is kept). */
  take<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof WebError) || err.statusCode !== 400) throw err;
      this.messages.push(err.message);
      return fallback;
    }
  }

  /** Keeps a problem found without a parser. */
  add(message: string): void {
    this.messages.push(message);
  }

  /** Refuses the request with every problem kept, if there is one. */
  check(): void {
    if (this.messages.length > 0) throw new WebError(400, this.messages.join('\n'));
  }
}

function customRun(custom: unknown, lrOverride: number | undefined, problems: FieldProblems): PlannedRun {
  if (!isObject(custom)) throw new WebError(400, 'custom: expected an object such as {"activation": "relu", "optimizer": "adam"}');
  checkKeys(custom, CUSTOM_KEYS, 'custom: ');
  const optimizer = problems.take(() => optional(custom, 'optimizer', optimizerSpec, 'custom.optimizer'), undefined) ?? { optimizer: 'sgd' as const };
  const layerNorm = custom['layerNorm'] ?? false;
  if (typeof layerNorm !== 'boolean') throw new WebError(400, 'custom.layerNorm: expected true or false');
  const config: RunConfig = {
    activation: problems.take(() => optional(custom, 'activation', activationSpec, 'custom.activation'), undefined) ?? BASELINE.activation,
    outputActivation: custom['outputActivation'] === undefined
      ? BASELINE.outputActivation
      : problems.take(() => noneAsNull(parse('custom.outputActivation', custom['outputActivation'], outputActivationSpec)), BASELINE.outputActivation),
    loss: problems.take(() => optional(custom, 'loss', lossName, 'custom.loss'), undefined) ?? BASELINE.loss,
    optimizer: optimizer.optimizer,
    lr: lrOverride ?? optimizer.lr ?? DEFAULT_LR[optimizer.optimizer],
    layerNorm,
    hidden: problems.take(() => atMost('custom.hidden', optional(custom, 'hidden', positiveInt, 'custom.hidden') ?? BASELINE.hidden, LIMITS.hidden), BASELINE.hidden),
  };
  const name: unknown = custom['name'] ?? 'custom';
  if (typeof name !== 'string') throw new WebError(400, 'custom.name is not a string');
  const nameProblem = runNameProblem(name);
  if (nameProblem !== null) problems.add(`custom.name is ${nameProblem}`);
  problems.check();
  // Settings that are each right but cannot train together, once every field is.
  const problem = lossOutputProblem(config, (setting, value) => `custom.${setting} ${JSON.stringify(value)}`);
  if (problem !== null) throw new WebError(400, problem);
  return { variant: name, label: describeConfig(config), config };
}

/** A limit no larger than the split it limits (undefined stays undefined: no limit). */
function atMostSize(limit: number | undefined, size: number | undefined): number | undefined {
  return limit === undefined || size === undefined ? limit : Math.min(limit, size);
}

/** How many images the server's data holds, to cap the limits at (as the CLI uses at most what the data has). */
export interface SplitSizes {
  readonly train: number;
  readonly test: number;
}

/**
 * Validates a Train request body and returns the plan. Given the data's `sizes`, a `trainLimit` or `testLimit`
 * beyond them is read as "all of them" (the CLI's `--train-limit` does the same) and the title counts the images
 * the runs really use.
 * @throws WebError (400) naming the field and what was expected, for anything but a well-formed request.
 */
export function parseJobRequest(body: unknown, sizes?: SplitSizes): JobPlan {
  if (!isObject(body)) throw new WebError(400, 'expected a JSON object such as {"variants": "baseline", "epochs": 1}');
  checkKeys(body, TOP_KEYS, '');
  if ((body['variants'] === undefined) === (body['custom'] === undefined)) {
    throw new WebError(400, 'give either "variants" (the chapter\'s variants to run) or "custom" (one configuration of your own), not both or neither');
  }
  const problems = new FieldProblems();
  const lr = problems.take(() => optional(body, 'lr', positiveNumber), undefined);
  if (body['variants'] !== undefined) problems.check();
  const planned: PlannedRun[] = body['variants'] !== undefined
    ? parse('variants', body['variants'], variantList).map((name) => {
      const v = findVariant(name)!;
      // The label names the rate the run uses, as the CLI's --lr does.
      return lr === undefined ? { variant: v.name, label: v.label, config: v.config } : { variant: v.name, label: labelWithLr(v.label, v.config.lr, lr), config: { ...v.config, lr } };
    })
    : [customRun(body['custom'], lr, problems)];
  const seeds = parse('seeds', body['seeds'] ?? '0', seedList);
  atMost('seeds (count)', seeds.length, LIMITS.seeds);
  atMost('runs (variants × seeds)', planned.length * seeds.length, LIMITS.runs);
  const epochs = atMost('epochs', optional(body, 'epochs', positiveInt) ?? 3, LIMITS.epochs);
  const batchSize = atMost('batchSize', optional(body, 'batchSize', positiveInt) ?? 1, LIMITS.batchSize);
  const trainLimit = atMostSize(optional(body, 'trainLimit', positiveInt), sizes?.train);
  const testLimit = atMostSize(optional(body, 'testLimit', positiveInt), sizes?.test);
  for (const p of planned) {
    const memory = batchProblem(Math.min(batchSize, trainLimit ?? sizes?.train ?? batchSize), p.config.hidden);
    if (memory !== null) throw new WebError(400, `batchSize: ${memory.replace('--batch-size', 'a batchSize of')}`);
  }
  const images = trainLimit === undefined ? 'all images' : formatCountOf(trainLimit, 'image');
  // What the form changed from the chapter's protocol is named too (the rate also in the runs' labels).
  const changed = `${lr === undefined ? '' : ` · lr ${lr}`}${batchSize === 1 ? '' : ` · batch ${batchSize}`}`;
  const title = `${planned.map((p) => p.variant).join(', ')} × seed${seeds.length > 1 ? 's' : ''} ${seeds.join(',')} · ${formatCountOf(epochs, 'epoch')} · ${images}${changed}`;
  return {
    planned, seeds, epochs, batchSize, title,
    ...(lr === undefined ? {} : { lr }),
    ...(trainLimit === undefined ? {} : { trainLimit }),
    ...(testLimit === undefined ? {} : { testLimit }),
  };
}
