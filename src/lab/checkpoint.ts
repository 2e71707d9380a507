/**
 * Lab checkpoints: everything needed to continue a run exactly where it stopped, in one safetensors file written
 * atomically. It is a Kindling model file (`kind: checkpoint`), so `kindling eval`/`predict` and `nn.Module.load`
 * read it as the model it holds, plus:
 * - tensors `optim.<i>.<buffer>`: the optimizer's per-parameter buffers (Adam's `exp_avg`/`exp_avg_sq`, SGD's
 *   `momentum_buffer`), `i` being the parameter's position in `model.parameters()`, row-major like the parameter;
 * - tensor `run.losses`: the losses recorded so far (NaN where a loss was not finite);
 * - metadata `optimizer` (JSON: type, per-parameter counters such as Adam's `step`, per-parameter float scalars
 *   such as NAdam's `mu_product` and ASGD's `eta` and `mu` when the optimizer keeps some, hyper-parameters),
 *   `run` (JSON: the run spec), `position` (JSON: step, completed epochs, elapsed seconds, why it was written),
 *   and optionally `data` (the `--data` path) and `index` (the run's place in its batch of runs).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { KindlingError } from '../errors.js';
import { formatArchitecture, type LayerSpec } from '../io/architecture.js';
import { writeModelFile, readModelFile, parseMetadataJson, ModelFileError, type ModelFileContents } from '../io/model-file.js';
import type { SafetensorsInput } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import { checkParameters, describeForFile, describeModule, parameterTensors } from '../nn/serialize.js';
import { Tensor } from '../tensor/tensor.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import { ACTIVATION_NAMES, ACTIVATION_PARAMETER, OPTIMIZER_NAMES, type ActivationSpec, type RunConfig } from '../report/results.js';
import { runNameProblem } from '../report/run-name.js';
import { buildModel, buildOptimizer } from './model.js';
import { claimHolder } from './run-claim.js';
import { LOSS_EVERY, type RunFiles, type RunSpec } from './trainer.js';

/** Where a run is. */
export interface RunPosition {
  /** Training steps done. */
  readonly step: number;
  /** Epochs fully done. */
  readonly epoch: number;
  /** Training time so far, over every session of the run. */
  readonly elapsedSeconds: number;
  /** The losses recorded so far, every `LOSS_EVERY` steps (null where not finite). */
  readonly losses: readonly (number | null)[];
  /** Why the checkpoint was written. */
  readonly reason: 'epoch' | 'stopped' | 'start';
  /** Training images per epoch, so a resume on other data is refused. */
  readonly trainSamples?: number;
  /** The `splitDigest` of the training images the run uses, so a resume on other data of the same size is refused too. */
  readonly trainDigest?: string;
}

/** What a checkpoint records besides the model and optimizer. */
export interface CheckpointRecord {
  readonly spec: RunSpec;
  readonly position: RunPosition;
  /** The `--data` path the run trains on (absent: the embedded MNIST). */
  readonly data?: string;
  /** The run's place among the runs of its command, so a resumed batch keeps its order. */
  readonly index?: number;
  /** The command line that started the run, so that its results keep it after a resume. */
  readonly command?: string;
  /** When that command started (ISO 8601), so that a resumed run's results keep the time it was made. */
  readonly createdAt?: string;
}

/** A checkpoint read back and checked. */
export interface Checkpoint extends CheckpointRecord {
  readonly path: string;
  readonly contents: ModelFileContents;
  readonly optimizer: OptimizerStateDict;
}

/**
 * Writes a checkpoint atomically: a crash at any moment leaves the previous checkpoint or this one.
 *
 * @example
 * writeCheckpoint('runs/x/checkpoint-adam-s0.safetensors', model, opt, { spec, position });
 */
export function writeCheckpoint(path: string, model: Module, optimizer: Optimizer, record: CheckpointRecord): void {
  const { spec, position } = record;
  const tensors: Record<string, SafetensorsInput> = {};
  const counters: Record<string, Record<string, number>> = {};
  const scalars: Record<string, Record<string, number>> = {};
  const sd = optimizer.stateDict();
  for (const [i, entry] of Object.entries(sd.state)) {
    for (const [name, v] of Object.entries(entry)) {
      if (v === null) continue; // SGD's momentum_buffer None: no buffer, which its next step starts afresh
      if (typeof v === 'number') ((SCALAR_STATE.has(name) ? scalars : counters)[i] ??= {})[name] = v;
      else tensors[`optim.${i}.${name}`] = { shape: v.shape, data: Float32Array.from(v.data) };
    }
  }
  tensors['run.losses'] = { shape: [position.losses.length], data: Float32Array.from(position.losses, (l) => l ?? NaN) };
  const metadata: Record<string, string> = {
    optimizer: JSON.stringify({ type: spec.config.optimizer, counters, ...(Object.keys(scalars).length === 0 ? {} : { scalars }), hyper: sd.hyper }),
    run: JSON.stringify(spec),
    position: JSON.stringify({
      step: position.step, epoch: position.epoch, elapsedSeconds: position.elapsedSeconds, reason: position.reason,
      ...(position.trainSamples === undefined ? {} : { trainSamples: position.trainSamples }),
      ...(position.trainDigest === undefined ? {} : { trainDigest: position.trainDigest }),
    }),
  };
  if (record.data !== undefined) metadata['data'] = record.data;
  if (record.index !== undefined) metadata['index'] = String(record.index);
  if (record.command !== undefined) metadata['command'] = record.command;
  if (record.createdAt !== undefined) metadata['createdAt'] = record.createdAt;
  const info = { variant: spec.variant, label: spec.label, config: spec.config, seed: spec.seed, epoch: position.epoch, step: position.step };
  writeModelFile(path, 'checkpoint', describeForFile(model), parameterTensors(model), info, { tensors, metadata });
}

type Obj = Record<string, unknown>;

/** A time as `Date.toISOString()` writes it. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

class SpecChecker {
  constructor(private readonly where: string) {}
  fail(msg: string): never {
    throw new ModelFileError(`${this.where}: ${msg}`);
  }
  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${path} must be an object`);
    return v as Obj;
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(`${path} must be a string, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  }
  int(v: unknown, path: string, min: number): number {
    if (!Number.isSafeInteger(v) || (v as number) < min) this.fail(`${path} must be an integer ≥ ${min}, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v as number;
  }
  num(v: unknown, path: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`${path} must be a finite number, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  }
  /** A number above 0, as --lr takes (a learning rate). */
  positive(v: unknown, path: string): number {
    if (this.num(v, path) <= 0) this.fail(`${path} must be above 0, got ${JSON.stringify(v)}`);
    return v as number;
  }
  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(`${path} must be true or false, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  }
  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
    if (!options.includes(v as T)) this.fail(`${path} must be one of ${options.join(', ')}, got ${JSON.stringify(v) ?? 'nothing'}`);
    return v as T;
  }
  activation(v: unknown, path: string): ActivationSpec {
    const o = this.obj(v, path);
    const name = this.oneOf(o['name'], `${path}.name`, ACTIVATION_NAMES);
    const param = ACTIVATION_PARAMETER[name];
    for (const key of ['slope', 'alpha'] as const) {
      if (o[key] !== undefined && key !== param) this.fail(`${path}.${key} is set, but ${name} takes no ${key}`);
    }
    return param === undefined || o[param] === undefined ? { name } : { name, [param]: this.num(o[param], `${path}.${param}`) };
  }
}

/** Variant names become file names, so they must be safe as such (the same rule as results.json). */

/** Checks a run spec read from a file. */
export function checkRunSpec(v: unknown, where: string): RunSpec {
  const c = new SpecChecker(where);
  const o = c.obj(v, 'run');
  const variant = c.str(o['variant'], 'run.variant');
  const problem = runNameProblem(variant);
  if (problem !== null) c.fail(`run.variant is ${problem}`);
  const k = c.obj(o['config'], 'run.config');
  const config: RunConfig = {
    activation: c.activation(k['activation'], 'run.config.activation'),
    outputActivation: k['outputActivation'] === null ? null : c.activation(k['outputActivation'], 'run.config.outputActivation'),
    loss: c.oneOf(k['loss'], 'run.config.loss', ['mse', 'bce'] as const),
    optimizer: c.oneOf(k['optimizer'], 'run.config.optimizer', OPTIMIZER_NAMES),
    lr: c.positive(k['lr'], 'run.config.lr'),
    layerNorm: c.bool(k['layerNorm'], 'run.config.layerNorm'),
    hidden: c.int(k['hidden'], 'run.config.hidden', 1),
  };
  const optional = (key: 'trainLimit' | 'testLimit'): Partial<Record<typeof key, number>> =>
    o[key] === undefined ? {} : { [key]: c.int(o[key], `run.${key}`, 1) };
  return {
    variant,
    label: c.str(o['label'], 'run.label'),
    config,
    seed: c.int(o['seed'], 'run.seed', 0),
    epochs: c.int(o['epochs'], 'run.epochs', 1),
    batchSize: c.int(o['batchSize'], 'run.batchSize', 1),
    ...optional('trainLimit'),
    ...optional('testLimit'),
    ...(o['allowNonFinite'] === true ? { allowNonFinite: true } : {}),
  };
}

function checkPosition(v: unknown, losses: Float32Array, where: string): RunPosition {
  const c = new SpecChecker(where);
  const o = c.obj(v, 'position');
  const step = c.int(o['step'], 'position.step', 0);
  const epoch = c.int(o['epoch'], 'position.epoch', 0);
  const elapsedSeconds = c.num(o['elapsedSeconds'], 'position.elapsedSeconds');
  if (elapsedSeconds < 0) c.fail(`position.elapsedSeconds must be 0 or more, got ${elapsedSeconds}`);
  const reason = c.oneOf(o['reason'], 'position.reason', ['epoch', 'stopped', 'start'] as const);
  const trainSamples = o['trainSamples'] === undefined ? undefined : c.int(o['trainSamples'], 'position.trainSamples', 1);
  const digest = o['trainDigest'];
  if (digest !== undefined && (typeof digest !== 'string' || !/^[0-9a-f]{16}$/.test(digest))) c.fail('position.trainDigest must be 16 hex digits');
  const trainDigest = digest as string | undefined;
  if (losses.length !== Math.floor(step / LOSS_EVERY)) {
    c.fail(`run.losses holds ${losses.length} losses but ${step} steps record ${Math.floor(step / LOSS_EVERY)} (one every ${LOSS_EVERY})`);
  }
  const infinite = losses.findIndex((l) => l === Infinity || l === -Infinity);
  if (infinite >= 0) c.fail(`run.losses holds ${losses[infinite]} at [${infinite}], but a loss that was not finite is recorded as NaN`);
  return {
    step, epoch, elapsedSeconds, reason, losses: Array.from(losses, (l) => (Number.isFinite(l) ? l : null)),
    ...(trainSamples === undefined ? {} : { trainSamples }),
    ...(trainDigest === undefined ? {} : { trainDigest }),
  };
}

/**
 * The per-parameter float scalars optimizers keep (float32 0-dim tensors in PyTorch): NAdam's `mu_product`, ASGD's
 * `eta` and `mu`. A checkpoint holds them apart from the integer counters (`scalars`, not `counters`).
 */
const SCALAR_STATE: ReadonlySet<string> = new Set(['mu_product', 'eta', 'mu']);

/** Optimizer buffers that hold squares of gradients or updates (an average, a sum, a maximum): never negative. */
const SQUARES: ReadonlySet<string> = new Set(['exp_avg_sq', 'max_exp_avg_sq', 'square_avg', 'acc_delta', 'sum', 'exp_inf']);

/**
 * Reads the optimizer state of a checkpoint at `step` (what each entry holds is checked by the optimizer's
 * loadStateDict). In the lab every parameter gets a gradient at every step, so either every parameter has state or
 * none has; every optimizer's but SGD's every parameter has it after the first step, and Adagrad's from the start.
 */
function readOptimizer(path: string, contents: ModelFileContents, spec: RunSpec, step: number): OptimizerStateDict {
  const meta = contents.raw.metadata['optimizer'];
  if (meta === undefined) throw new ModelFileError(`${path}: a checkpoint needs an "optimizer" metadata entry`);
  const c = new SpecChecker(path);
  const o = c.obj(parseMetadataJson(path, 'optimizer', meta), 'optimizer');
  const type = c.oneOf(o['type'], 'optimizer.type', OPTIMIZER_NAMES);
  if (type !== spec.config.optimizer) c.fail(`optimizer.type is ${type} but the run uses ${spec.config.optimizer}`);
  const state: OptimizerStateDict['state'] = {};
  const params = Object.keys(contents.parameters).length;
  const entry = (i: string, what: string): Record<string, { shape: number[]; data: number[] } | number | null> => {
    const n = Number(i);
    if (!/^(0|[1-9]\d*)$/.test(i) || n >= params) c.fail(`${what}: parameter index ${JSON.stringify(i)} is not one of the model's ${params} parameters (0 to ${params - 1})`);
    return (state[n] ??= {});
  };
  for (const [i, counters] of Object.entries(c.obj(o['counters'] ?? {}, 'optimizer.counters'))) {
    for (const [name, v] of Object.entries(c.obj(counters, `optimizer.counters.${i}`))) {
      const where = `optimizer.counters.${i}.${name}`;
      // Adagrad makes its state, step 0, with the optimizer; the others at a parameter's first step.
      const state = entry(i, where);
      const n = c.int(v, where, type === 'adagrad' ? 0 : 1);
      // Every step gives each parameter a gradient, so each one's step count is the run's.
      if (name === 'step' && n !== step) c.fail(`${where} is ${n}, but the run is at step ${step}, and every step counts for every parameter; was the file edited?`);
      state[name] = n;
    }
  }
  for (const [i, values] of Object.entries(c.obj(o['scalars'] ?? {}, 'optimizer.scalars'))) {
    for (const [name, v] of Object.entries(c.obj(values, `optimizer.scalars.${i}`))) {
      const where = `optimizer.scalars.${i}.${name}`;
      if (!SCALAR_STATE.has(name)) c.fail(`${where}: no optimizer keeps a scalar "${name}" (they are ${[...SCALAR_STATE].join(', ')})`);
      entry(i, where)[name] = c.num(v, where);
    }
  }
  for (const [name, t] of Object.entries(contents.raw.tensors)) {
    const m = /^optim\.(\d+)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (m === null) {
      if (name.startsWith('optim.')) c.fail(`tensor "${name}" is not of the form optim.<index>.<buffer>`);
      continue;
    }
    if (SQUARES.has(m[2]!)) {
      const at = t.data.findIndex((x) => x < 0);
      if (at >= 0) c.fail(`tensor "${name}" holds ${t.data[at]} at [${unravel(at, t.shape).join(', ')}], but it keeps squares (their average, sum or largest), never negative; was the file edited?`);
    }
    entry(m[1]!, `tensor "${name}"`)[m[2]!] = { shape: t.shape, data: Array.from(t.data) };
  }
  const holds = Object.keys(state).length;
  // Adagrad's state is there from the start; the others' (Adam, RMSprop, NAdam, …) from the first step; SGD's (no momentum in the lab) never.
  const want = type === 'adagrad' || (type !== 'sgd' && step > 0) ? params : holds === 0 ? 0 : params;
  if (holds !== want) c.fail(`the optimizer state covers ${holds} of the model's ${params} parameters at step ${step}, where every step gives each of them a gradient`);
  return { state, hyper: c.obj(o['hyper'] ?? {}, 'optimizer.hyper') };
}

/**
 * Reads a checkpoint and checks it: a Kindling model file of kind `checkpoint`, with a valid run spec, position,
 * optimizer state and loss record.
 *
 * @throws SafetensorsError for a missing or malformed file; ModelFileError naming what is wrong otherwise.
 */
export function readCheckpoint(path: string): Checkpoint {
  const contents = readModelFile(path);
  if (contents.kind !== 'checkpoint') {
    throw new ModelFileError(`${path} is a model file, not a checkpoint: it has no optimizer state or run position to resume from`);
  }
  const meta = contents.raw.metadata;
  for (const key of ['run', 'position']) {
    if (meta[key] === undefined) throw new ModelFileError(`${path}: a checkpoint needs a "${key}" metadata entry`);
  }
  const spec = checkRunSpec(parseMetadataJson(path, 'run', meta['run']!), path);
  const losses = contents.raw.tensors['run.losses'];
  if (losses === undefined || losses.shape.length !== 1) throw new ModelFileError(`${path}: a checkpoint needs a 1-D tensor "run.losses"`);
  const position = checkPosition(parseMetadataJson(path, 'position', meta['position']!), losses.data, path);
  const optimizer = readOptimizer(path, contents, spec, position.step);
  const index = meta['index'] === undefined ? undefined : new SpecChecker(path).int(Number(meta['index']), 'index', 0);
  const createdAt = meta['createdAt'];
  if (createdAt !== undefined && (!ISO_TIME.test(createdAt) || Number.isNaN(Date.parse(createdAt)))) {
    throw new ModelFileError(`${path}: createdAt must be a time as toISOString() writes it (2026-12-02T16:30:00.000Z), got ${JSON.stringify(createdAt)}`);
  }
  return {
    path, contents, optimizer, spec, position,
    ...(meta['data'] === undefined ? {} : { data: meta['data'] }),
    ...(index === undefined ? {} : { index }),
    ...(meta['command'] === undefined ? {} : { command: meta['command'] }),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}

/**
 * Puts a checkpoint's parameters and optimizer state into a freshly built model and optimizer (built from the
 * checkpoint's spec). Everything is checked first: on error neither is changed.
 *
 * @throws ModelFileError naming the tensor and both shapes when the checkpoint does not fit the model.
 */
export function restoreCheckpoint(ckpt: Checkpoint, model: Module, optimizer: Optimizer): void {
  // The model and the optimizer are built from the run's configuration: the file's architecture (what eval and
  // predict build) and hyper-parameters (what the optimizer would train with) must be theirs.
  if (!isDeepStrictEqual(ckpt.contents.architecture, describeModule(model))) {
    throw new ModelFileError(`${ckpt.path}: its architecture (${formatArchitecture(ckpt.contents.architecture as LayerSpec)}) is not the one its run configuration builds (${formatArchitecture(describeModule(model))}); was the file edited?`);
  }
  const own = optimizer.stateDict().hyper ?? {};
  for (const [key, value] of Object.entries(ckpt.optimizer.hyper ?? {})) {
    if (!isDeepStrictEqual(value, own[key])) {
      throw new ModelFileError(`${ckpt.path}: optimizer.hyper.${key} is ${JSON.stringify(value)}, but the run's configuration trains with ${JSON.stringify(own[key]) ?? 'no such setting'}; was the file edited?`);
    }
  }
  const named = model.namedParameters();
  checkParameters(ckpt.path, new Map(Object.entries(model.parameterState()).map(([n, p]) => [n, [...p.shape]])), ckpt.contents.parameters);
  for (const [i, entry] of Object.entries(ckpt.optimizer.state)) {
    const p = named[Number(i)];
    if (p === undefined) throw new ModelFileError(`${ckpt.path}: optimizer state for parameter ${i}, but the model has ${named.length} parameters`);
    for (const [name, v] of Object.entries(entry)) {
      if (typeof v === 'number' || v === null) continue;
      if (v.shape.length !== p[1].shape.length || v.shape.some((d, j) => d !== p[1].shape[j])) {
        throw new ModelFileError(`${ckpt.path}: tensor "optim.${i}.${name}" has shape [${v.shape.join(', ')}], but parameter ${i} ("${p[0]}") has shape [${p[1].shape.join(', ')}]`);
      }
    }
  }
  const state: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(ckpt.contents.parameters)) state[name] = new Tensor(t.data, t.shape);
  try {
    // Checked whole before anything changes; the model is loaded only once the optimizer's state has been.
    optimizer.loadStateDict(ckpt.optimizer);
  } catch (err) {
    throw new ModelFileError(`${ckpt.path}: ${(err as Error).message}`);
  }
  model.loadStateDict(state);
}

/** A value of a checkpoint's weights or optimizer state that is not finite, and how many there are. */
export interface NonFiniteValue {
  /** The tensor's name in the file (`0.weight`, `optim.0.exp_avg`). */
  readonly tensor: string;
  /** The first such value's index, one number per dimension. */
  readonly at: readonly number[];
  readonly value: number;
  /** Non-finite values in all the weights, optimizer state and losses. */
  readonly count: number;
}

/**
 * The first NaN or infinity in a checkpoint's weights, optimizer state and recorded losses (where NaN marks a loss
 * that was not finite), or undefined. A run trained without --allow-nonfinite stops before it saves such values.
 */
export function firstNonFinite(ckpt: Checkpoint): NonFiniteValue | undefined {
  let first: Omit<NonFiniteValue, 'count'> | undefined;
  let count = 0;
  for (const [name, t] of Object.entries(ckpt.contents.raw.tensors)) {
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i]!;
      if (Number.isFinite(v)) continue;
      count++;
      first ??= { tensor: name, at: unravel(i, t.shape), value: v };
    }
  }
  return first === undefined ? undefined : { ...first, count };
}

/**
 * Refuses a checkpoint whose weights, optimizer state or recorded losses hold a NaN or an infinity, for a run that
 * does not train on through them: without --allow-nonfinite a run stops before it saves one, so the file was edited
 * or damaged (resumed, its first step would fail as a diverging run does, blaming the learning rate).
 */
export function checkFinite(ckpt: Checkpoint): void {
  const bad = firstNonFinite(ckpt);
  if (bad === undefined) return;
  const more = bad.count > 1 ? ` (${bad.count} values in all are not finite)` : '';
  throw new KindlingError(
    `cannot resume from ${ckpt.path}: tensor "${bad.tensor}" holds ${bad.value} at [${bad.at.join(', ')}]${more}; ` +
      'a run trained without --allow-nonfinite stops before it saves such a value, so the file was edited or damaged: ' +
      'resume from another checkpoint, or pass --allow-nonfinite to train on from it anyway',
  );
}

/**
 * Everything a resume checks of a checkpoint before its run trains, done up front (a command resuming a folder says
 * what is wrong with a file before any run starts, instead of failing the run and then suggesting the same resume):
 * its weights and optimizer state fit the model and optimizer its run configuration builds, and they are finite
 * unless the run trains on through NaN (`allowNonFinite`).
 *
 * @throws ModelFileError or KindlingError naming the file and what is wrong.
 */
export function checkResumable(ckpt: Checkpoint, allowNonFinite: boolean): void {
  if (!allowNonFinite) checkFinite(ckpt);
  const model = buildModel(ckpt.spec.config, ckpt.spec.seed);
  restoreCheckpoint(ckpt, model, buildOptimizer(ckpt.spec.config, model.parameters()));
}

/** The index, one number per dimension, of element `i` of a row-major tensor of `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const at = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1, rest = i; d >= 0; d--) {
    at[d] = rest % shape[d]!;
    rest = Math.floor(rest / shape[d]!);
  }
  return at;
}

/** The checkpoint file name of a run inside its run folder. */
export function checkpointName(spec: Pick<RunSpec, 'variant' | 'seed'>): string {
  return `checkpoint-${spec.variant}-s${spec.seed}.safetensors`;
}

/** The model file name of a run inside its run folder. */
export function modelName(spec: Pick<RunSpec, 'variant' | 'seed'>): string {
  return `model-${spec.variant}-s${spec.seed}.safetensors`;
}

/**
 * Writes the checkpoint of a run that has not started (step 0: the seeded initial weights, empty optimizer
 * state), so that a stopped batch of runs can be resumed as a whole. Resuming it equals training from scratch.
 */
export function writeStartCheckpoint(path: string, spec: RunSpec, files: RunFiles = {}): void {
  const model = buildModel(spec.config, spec.seed);
  const optimizer = buildOptimizer(spec.config, model.parameters());
  const { trainDigest } = files;
  const position: RunPosition = { step: 0, epoch: 0, elapsedSeconds: 0, losses: [], reason: 'start', ...(trainDigest === undefined ? {} : { trainDigest }) };
  writeCheckpoint(path, model, optimizer, { spec, position, ...recordOf(files) });
}

/** What a run's files record in its checkpoints besides the spec and position. */
export function recordOf(files: RunFiles): Omit<CheckpointRecord, 'spec' | 'position'> {
  return {
    ...(files.data === undefined ? {} : { data: files.data }),
    ...(files.index === undefined ? {} : { index: files.index }),
    ...(files.command === undefined ? {} : { command: files.command }),
    ...(files.createdAt === undefined ? {} : { createdAt: files.createdAt }),
  };
}

/** Whether a file name is a run's checkpoint's (`checkpoint-<variant>-s<seed>.safetensors`). */
export function isCheckpointName(name: string): boolean {
  return name.startsWith('checkpoint-') && name.endsWith('.safetensors');
}

/** The folders directly inside `path` that hold checkpoints, the latest changed first (what `--resume runs` meant). */
function runFoldersIn(path: string): string[] {
  const found: { dir: string; mtime: number }[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(path, entry.name);
    try {
      if (readdirSync(dir).some(isCheckpointName)) found.push({ dir, mtime: statSync(dir).mtimeMs });
    } catch {
      // a folder that cannot be read is not offered
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.dir);
}

/**
 * The checkpoints to resume: `path` itself when it is a file, or every `checkpoint-*.safetensors` of a run
 * folder, in the order their runs were planned. Each is read and checked.
 *
 * @throws ModelFileError when the folder holds no checkpoint; SafetensorsError/ModelFileError for a bad file.
 */
export function findCheckpoints(path: string): Checkpoint[] {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // not there: readCheckpoint below names the missing file
  }
  if (!isFolder) return [readCheckpoint(path)];
  const names = readdirSync(path).filter(isCheckpointName).sort();
  if (names.length === 0) {
    // A command still training into the folder writes its first checkpoint at its first epoch's end.
    const holder = claimHolder(path);
    if (holder !== null) {
      throw new ModelFileError(`${path}: another kindling command (${holder}) is writing a run into this folder, and has written no checkpoint yet: wait until it ends, or resume it once it is stopped`);
    }
    const runs = runFoldersIn(path);
    const hint = runs.length === 0 ? '' : `; it holds ${runs.length === 1 ? 'a run folder' : `${runs.length} run folders`} that ${runs.length === 1 ? 'does' : 'do'}: give ${runs.length === 1 ? 'it' : 'one of them, such as the latest'}, ${runs[0]}`;
    throw new ModelFileError(`${path} holds no checkpoint-*.safetensors file to resume from${hint}`);
  }
  const all = names.map((n) => readCheckpoint(join(path, n)));
  return all.sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity));
}
