import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { splitDigest } from '../../src/data/digest.js';
import { embeddedDataDir, loadEmbeddedMnist } from '../../src/data/mnist.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { readCheckpoint } from '../../src/lab/checkpoint.js';
import { trainRun } from '../../src/lab/trainer.js';
import { validateResults } from '../../src/report/validate.js';
import { BIN, kindling, type Ran, startKindling, tempFolder, variantSpec, waitFor } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);
const train = loadEmbeddedMnist('train');
const testSplit = loadEmbeddedMnist('test');
const LIMIT = 50;

test('Ctrl-C: kindling train finishes its step, writes a checkpoint, prints the resume command and exits 130; resuming completes the run exactly', async () => {
  const out = join(tmp.dir, 'run');
  const ckptPath = join(out, 'checkpoint-custom-s0.safetensors');
  const child = startKindling(['train', '--optimizer', 'adam', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '100000', '--out', out], tmp.dir);
  // Started and past its first epoch: the first checkpoint exists.
  await waitFor(() => existsSync(ckptPath), 'the first epoch-end checkpoint');
  child.kill('SIGINT');
  const r = await child.done;
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /SIGINT: finishing the current step and writing checkpoints/);
  const stopped = /custom: stopped at step ([\d,]+) of 5,000,000; checkpoint (\S+)/.exec(r.stderr);
  assert.ok(stopped, r.stderr);
  assert.equal(stopped[2], ckptPath);
  // Repeated as it was run: here `node <absolute path of bin/kindling.js>` (from a clone's folder, `node bin/kindling.js`).
  const command = /Resume with:\n {2}node (\S+) (.+)\n/.exec(r.stderr);
  assert.ok(command, r.stderr);
  assert.equal(command[1], BIN);
  assert.equal(command[2], `train --resume ${ckptPath}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(existsSync(join(out, 'results.json')), false, 'no results for an unfinished run');

  const ckpt = readCheckpoint(ckptPath);
  const step = Number(stopped[1]!.replace(/,/g, ''));
  assert.equal(ckpt.position.step, step);
  assert.equal(ckpt.position.reason, 'stopped');
  assert.equal(ckpt.spec.epochs, 100000);
  // When the command started, which the resumed results keep (not the resume's time).
  assert.ok(ckpt.createdAt !== undefined && Date.parse(ckpt.createdAt) <= Date.now(), String(ckpt.createdAt));

  // Resume with the printed command, shortened to one epoch past the stop so the test stays quick.
  const epochs = Math.floor(step / LIMIT) + 1;
  const resumed = kindling([...command[2]!.split(' '), '--epochs', String(epochs), '--quiet'], tmp.dir);
  assert.equal(resumed.status, 0, resumed.stderr);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.equal(results.runs.length, 1);
  // The results keep the command that started the run, and name the one that resumed it; so does the report.
  assert.equal(results.meta.command, `kindling train --optimizer adam --train-limit ${LIMIT} --test-limit 100 --epochs 100000 --out ${out}`);
  assert.equal(results.meta.resumedWith, `kindling train --resume ${ckptPath} --epochs ${epochs} --quiet`);
  assert.equal(results.meta.createdAt, ckpt.createdAt);
  const report = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(report.includes(`<dt>Command</dt><dd><code>${results.meta.command}</code></dd>`), 'the report names the first command');
  assert.ok(report.includes(`<dt>Resumed with</dt><dd><code>${results.meta.resumedWith}</code></dd>`), 'and the one that resumed');
  assert.match(report, /before this report was drawn; this is the resuming command&#39;s own, while the runs&#39; train times count every session<\/dd>/);

  // Bit-identical to the same run done in one go, in this process.
  const spec = { ...ckpt.spec, epochs };
  const modelPath = join(tmp.dir, 'straight.safetensors');
  // The command records the fingerprint of the test images in the model file (see lab-command): so does this run.
  const straight = trainRun(spec, train, testSplit, {}, { files: { models: [modelPath], testDigest: splitDigest(testSplit, 100) } });
  assert.deepEqual(results.runs[0]!.losses, straight.losses);
  assert.equal(results.runs[0]!.accuracy, straight.accuracy);
  assert.deepEqual(readFileSync(join(out, 'model-custom-s0.safetensors')), readFileSync(modelPath));
});

test('an interrupted reproduce of two runs on one worker resumes as a whole from its folder', async () => {
  const out = join(tmp.dir, 'repro');
  const child = startKindling(['reproduce', '--variants', 'baseline,adam', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '100000', '--workers', '1', '--out', out, '--quiet'], tmp.dir);
  // One worker takes the longer run (adam) first; the baseline has not started when we stop.
  await waitFor(() => existsSync(join(out, 'checkpoint-adam-s0.safetensors')), 'the first checkpoint');
  child.kill('SIGTERM');
  const r = await child.done;
  assert.equal(r.status, 143, r.stderr);
  assert.match(r.stderr, /adam: stopped at step/);
  assert.match(r.stderr, /baseline: not started; checkpoint \S+checkpoint-baseline-s0\.safetensors/);
  assert.ok(r.stderr.includes(`node ${BIN} reproduce --resume ${out}\n`), r.stderr);
  const adam = readCheckpoint(join(out, 'checkpoint-adam-s0.safetensors'));
  const baseline = readCheckpoint(join(out, 'checkpoint-baseline-s0.safetensors'));
  assert.deepEqual([baseline.position.step, baseline.position.reason, baseline.index], [0, 'start', 0]);
  assert.equal(adam.index, 1);

  const epochs = Math.floor(adam.position.step / LIMIT) + 1;
  const resumed = kindling(['reproduce', '--resume', out, '--epochs', String(epochs), '--quiet', '--json'], tmp.dir);
  assert.equal(resumed.status, 0, resumed.stderr);
  const summary = JSON.parse(resumed.stdout) as { models: string[] };
  assert.deepEqual(summary.models, [join(out, 'model-baseline-s0.safetensors'), join(out, 'model-adam-s0.safetensors')]);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.deepEqual(results.runs.map((x) => x.variant), ['baseline', 'adam'], 'the planned order is kept');
  const straightBaseline = trainRun(variantSpec('baseline', { epochs, trainLimit: LIMIT, testLimit: 100 }), train, testSplit);
  assert.deepEqual(results.runs[0]!.losses, straightBaseline.losses);
  assert.equal(results.runs[0]!.accuracy, straightBaseline.accuracy);
});

test('SIGHUP (a closed terminal, a dropped SSH session) stops as Ctrl-C does: the step finishes, a checkpoint, the resume command, exit 129', async () => {
  const out = join(tmp.dir, 'hangup');
  const ckptPath = join(out, 'checkpoint-custom-s0.safetensors');
  const child = startKindling(['train', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '100000', '--out', out], tmp.dir);
  await waitFor(() => existsSync(ckptPath), 'the first epoch-end checkpoint');
  child.kill('SIGHUP');
  const r = await child.done;
  assert.equal(r.status, 129, r.stderr);
  assert.equal(r.signal, null, 'exited with a status, not killed by the signal');
  assert.match(r.stderr, /SIGHUP: finishing the current step and writing checkpoints/);
  const stopped = /custom: stopped at step ([\d,]+) of 5,000,000; checkpoint (\S+)/.exec(r.stderr);
  assert.ok(stopped, r.stderr);
  assert.equal(stopped[2], ckptPath);
  assert.ok(r.stderr.includes(`Resume with:\n  node ${BIN} train --resume ${ckptPath}\n`), r.stderr);
  const ckpt = readCheckpoint(ckptPath);
  assert.equal(ckpt.position.step, Number(stopped[1]!.replace(/,/g, '')));
  assert.equal(ckpt.position.reason, 'stopped');
  assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.')), [], 'no claim or temporary file left');
});

test('a stopped resume repeats what it was given beyond the checkpoints, so the runs it had not started train as far', async () => {
  const out = join(tmp.dir, 'resume-options');
  const first = kindling(['reproduce', '--variants', 'baseline,adam', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '1', '--workers', '1', '--out', out, '--quiet'], tmp.dir);
  assert.equal(first.status, 0, first.stderr);
  const adamPath = join(out, 'checkpoint-adam-s0.safetensors');
  const data = embeddedDataDir();
  const child = startKindling(['reproduce', '--resume', out, '--epochs', '100000', '--test-limit', '90', '--data', data, '--workers', '1', '--quiet'], tmp.dir);
  // One worker takes adam first; past its first epoch of the resume, baseline still holds its 1-epoch checkpoint.
  await waitFor(() => readCheckpoint(adamPath).position.step > LIMIT, 'the resumed run\'s next checkpoint');
  child.kill('SIGINT');
  const r = await child.done;
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stderr, /baseline: not started; checkpoint /);
  assert.equal(readCheckpoint(join(out, 'checkpoint-baseline-s0.safetensors')).spec.epochs, 1);
  assert.ok(r.stderr.includes(`Resume with:\n  node ${BIN} reproduce --resume ${out} --epochs 100000 --test-limit 90 --data ${data}\n`), r.stderr);
});

test('Ctrl-C while the report is written: the command that writes it again keeps --save', async () => {
  const out = join(tmp.dir, 'report-stop');
  const save = join(tmp.dir, 'report-stop.safetensors');
  const child = startKindling(['train', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '1', '--out', out, '--save', save], tmp.dir);
  await waitFor(() => child.stderr().includes('Writing the results and the report'), 'the report being written');
  child.kill('SIGINT');
  const r = await child.done;
  assert.equal(r.status, 130, r.stderr);
  const ckpt = join(out, 'checkpoint-custom-s0.safetensors');
  assert.ok(r.stderr.includes(`write the report with:\n  node ${BIN} train --resume ${ckpt} --save ${save}\n`), r.stderr);
  assert.equal(existsSync(save), false);
  const again = kindling(['train', '--resume', ckpt, '--save', save, '--quiet'], tmp.dir);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(readFileSync(save), readFileSync(join(out, 'model-custom-s0.safetensors')));
});

/**
 * Ctrl-C, and Ctrl-C again once the first stop is under way: the command's end (exit 130, or the signal once the
 * stop had finished), and what the quit said it kept, or null when the stop had finished before the second signal came.
 */
async function stopTwice(child: ReturnType<typeof startKindling>): Promise<{ r: Ran; quit: RegExpExecArray | null }> {
  child.kill('SIGINT');
  const first = Date.now();
  await waitFor(() => child.stderr().includes('SIGINT: finishing the current step'), 'the first stop message');
  // A second signal within 100 ms of the first counts as the same one, delivered twice (the next test).
  await new Promise((r) => setTimeout(r, Math.max(0, first + 150 - Date.now())));
  child.kill('SIGINT');
  const r = await child.done;
  const quit = /SIGINT again: quitting without waiting \((.+)\)\n/.exec(r.stderr);
  if (quit === null && r.status === null) {
    // The ordinary stop had said everything, and the second signal came as Node tore the process down (its signal
    // handlers gone): the signal itself ended it, which a shell shows as 130 too. Nothing was cut short.
    assert.equal(r.signal, 'SIGINT', r.stderr);
    assert.match(r.stderr, /\nResume with:\n {2}node \S+ \S+ --resume \S+\n$/);
  } else assert.equal(r.status, 130, r.stderr);
  return { r, quit };
}

// One step of 10,000 images through 1,000 hidden units takes seconds: a second Ctrl-C 150 ms after the first always
// comes while the step the first one waits for still runs, so these tests take the quit-at-once path every time.
const LONG_STEPS = ['--hidden', '1000', '--batch-size', '10000', '--train-limit', '10000', '--test-limit', '100', '--workers', '1'];

test('Ctrl-C twice during the first step: quits at once, nothing is kept, and both folders the command made go', async () => {
  const out = join(tmp.dir, 'twice', 'run');
  // "started custom" is printed as the run's worker is spawned: a Ctrl-C before the worker reaches its first step is
  // the ordinary stop at step 0 (a checkpoint, then the end, before any second signal). So the first signal waits a
  // moment; should the worker still not have been in its step (a slow machine), that stop is checked and it is tried
  // again with a longer wait.
  let attempt: Awaited<ReturnType<typeof stopTwice>> | undefined;
  for (const waitMs of [300, 1000]) {
    const child = startKindling(['train', ...LONG_STEPS, '--epochs', '1', '--out', out], tmp.dir);
    await waitFor(() => child.stderr().includes('started custom'), 'the run\'s start');
    await new Promise((r) => setTimeout(r, waitMs));
    attempt = await stopTwice(child);
    if (attempt.quit !== null) break;
    assert.match(attempt.r.stderr, /custom: stopped at step 0 of 1; checkpoint /, 'an ordinary stop can only be one before the first step');
    rmSync(join(tmp.dir, 'twice'), { recursive: true });
  }
  const { r, quit } = attempt!;
  assert.ok(quit !== null, `the second Ctrl-C did not quit at once: ${r.stderr}`);
  assert.equal(r.status, 130);
  assert.equal(quit[1], `no run had written a checkpoint yet, so nothing is kept; removed the empty folder ${out}`);
  assert.doesNotMatch(r.stderr, /Resume with/);
  assert.equal(existsSync(join(tmp.dir, 'twice')), false, 'both folders the command made are gone');
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});

test('Ctrl-C twice after a checkpoint: quits at once, keeps it (and no half-written file) and says how to resume', async () => {
  const out = join(tmp.dir, 'twice-kept');
  const child = startKindling(['train', ...LONG_STEPS, '--epochs', '3', '--out', out], tmp.dir);
  const ckpt = join(out, 'checkpoint-custom-s0.safetensors');
  // The first epoch's checkpoint is written; the second epoch's one step runs.
  await waitFor(() => existsSync(ckpt), 'the first epoch\'s checkpoint');
  const { r, quit } = await stopTwice(child);
  assert.ok(quit !== null, `the second Ctrl-C did not quit at once: ${r.stderr}`);
  assert.equal(r.status, 130);
  assert.equal(quit[1], `the checkpoints written so far are kept in ${out}`);
  assert.deepEqual(readdirSync(out), ['checkpoint-custom-s0.safetensors']);
  assert.equal(readCheckpoint(ckpt).position.step, 1);
  assert.ok(r.stderr.endsWith(`Resume with:\n  node ${BIN} train --resume ${ckpt}\n`), r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});

test('one SIGINT delivered twice at once (GNU timeout -s INT signals the command and its process group) is one stop, with its checkpoint', async () => {
  const out = join(tmp.dir, 'doubled', 'run');
  const child = startKindling(['train', '--optimizer', 'adam', '--epochs', '1', '--test-limit', '100', '--out', out], tmp.dir);
  await waitFor(() => existsSync(out) && child.stderr().includes('Training 1 run'), 'the run folder');
  child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGINT');
  const r = await child.done;
  assert.equal(r.status, 130, r.stderr);
  assert.doesNotMatch(r.stderr, /again: quitting/);
  assert.match(r.stderr, /custom: stopped at step/);
  assert.deepEqual(readdirSync(out), ['checkpoint-custom-s0.safetensors']);
});

test('Ctrl-C twice with runs not yet started: however the quit goes, resuming the folder resumes every planned run', async () => {
  const out = join(tmp.dir, 'twice-seeds');
  // One worker: seed 0 trains (a checkpoint every 50 images), seeds 1 and 2 wait.
  const child = startKindling(['reproduce', '--variants', 'baseline', '--seeds', '0,1,2', '--workers', '1', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '100000', '--out', out], tmp.dir);
  await waitFor(() => existsSync(join(out, 'checkpoint-baseline-s0.safetensors')), 'seed 0\'s first checkpoint');
  const { r, quit } = await stopTwice(child);
  if (quit !== null) {
    // The runs not started got the checkpoint they start from when seed 0 passed its first epoch, or else now.
    assert.match(quit[1]!, new RegExp(`^the checkpoints written so far are kept in ${out}(; the 2 runs without one got the checkpoint they start from)?$`));
    assert.ok(r.stderr.endsWith(`Resume with:\n  node ${BIN} reproduce --resume ${out}\n`), r.stderr);
  }
  else assert.match(r.stderr, /baseline s1: not started; checkpoint/, 'the ordinary stop, finished before the second signal');
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.deepEqual(readdirSync(out).sort(), [0, 1, 2].map((s) => `checkpoint-baseline-s${s}.safetensors`));
  const resumed = kindling(['reproduce', '--resume', out, '--epochs', '1', '--quiet', '--json'], tmp.dir);
  // Seed 0 is past its first epoch: --epochs 1 is refused for it, naming the epochs it needs; the others start from 0.
  const needs = /past the 1 epoch\(s\) asked for/.test(resumed.stderr);
  const again = needs ? kindling(['reproduce', '--resume', out, '--epochs', String(readCheckpoint(join(out, 'checkpoint-baseline-s0.safetensors')).position.epoch + 1), '--quiet', '--json'], tmp.dir) : resumed;
  assert.equal(again.status, 0, again.stderr);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.deepEqual(results.runs.map((x) => x.seed), [0, 1, 2], 'every planned run, in order');
});

test('killed outright (kill -9) once a run has a checkpoint: every planned run has one, and resuming the folder trains them all', async () => {
  const out = join(tmp.dir, 'killed-seeds');
  // One worker: seed 0 trains (a checkpoint every 50 images), seeds 1 and 2 wait; nothing is stopped, only killed.
  const child = startKindling(['train', '--seeds', '0,1,2', '--workers', '1', '--train-limit', String(LIMIT), '--test-limit', '100', '--epochs', '100000', '--out', out, '--quiet'], tmp.dir);
  await waitFor(() => [1, 2].every((s) => existsSync(join(out, `checkpoint-custom-s${s}.safetensors`))), 'the checkpoints of the runs not started');
  child.kill('SIGKILL');
  assert.equal((await child.done).signal, 'SIGKILL');
  for (const seed of [1, 2]) {
    const c = readCheckpoint(join(out, `checkpoint-custom-s${seed}.safetensors`));
    assert.deepEqual([c.position.step, c.position.reason, c.index, c.spec.seed], [0, 'start', seed, seed]);
  }
  const epochs = readCheckpoint(join(out, 'checkpoint-custom-s0.safetensors')).position.epoch + 1;
  const resumed = kindling(['train', '--resume', out, '--epochs', String(epochs), '--quiet'], tmp.dir);
  assert.equal(resumed.status, 0, resumed.stderr);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.deepEqual(results.runs.map((x) => x.seed), [0, 1, 2], 'every planned run, in order');
  // A run that started from its start checkpoint is the run straight from the start.
  const straight = trainRun(variantSpec('baseline', { seed: 2, epochs, trainLimit: LIMIT, testLimit: 100 }), train, testSplit);
  assert.deepEqual([results.runs[2]!.losses, results.runs[2]!.accuracy], [straight.losses, straight.accuracy]);
});

test('a resumed checkpoint that does not fit its run, or holds a NaN, is refused before any run starts, with no resume advice', () => {
  const out = join(tmp.dir, 'edited');
  assert.equal(kindling(['train', '--optimizer', 'adam', '--train-limit', String(LIMIT), '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet'], tmp.dir).status, 0);
  const path = join(out, 'checkpoint-custom-s0.safetensors');
  const original = readFileSync(path);
  const results = readFileSync(join(out, 'results.json'));
  const edit = (change: (m: Record<string, string>, t: Record<string, { data: Float32Array }>) => void): void => {
    const copy = decodeSafetensors(original, path);
    change(copy.metadata, copy.tensors as unknown as Record<string, { data: Float32Array }>);
    writeFileSync(path, encodeSafetensors(copy.tensors, copy.metadata));
  };
  edit((m) => (m['optimizer'] = m['optimizer']!.replace('"amsgrad":false', '"amsgrad":true')));
  let r = kindling(['train', '--resume', out, '--epochs', '2'], tmp.dir);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `kindling: ${path}: optimizer.hyper.amsgrad is true, but the run's configuration trains with false; was the file edited?\n`);
  edit((_m, t) => (t['0.weight']!.data = Float32Array.from(t['0.weight']!.data, (x, i) => (i === 5 ? NaN : x))));
  r = kindling(['train', '--resume', out, '--epochs', '2'], tmp.dir);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `kindling: cannot resume from ${path}: tensor "0.weight" holds NaN at [0, 5]; a run trained without --allow-nonfinite stops before it saves such a value, so the file was edited or damaged: resume from another checkpoint, or pass --allow-nonfinite to train on from it anyway\n`);
  assert.deepEqual(readFileSync(join(out, 'results.json')), results, 'nothing was written');
  // With --allow-nonfinite it trains on, and says the weights it ended with are not finite.
  r = kindling(['train', '--resume', out, '--epochs', '2', '--allow-nonfinite', '--quiet'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /custom s0 ended with \d[\d,]* NaN or infinite weights? \(it trained on with --allow-nonfinite\)/);
});

test('lab options that cannot work are refused before any training', () => {
  const cases: Array<[string[], RegExp]> = [
    [['reproduce', '--variants', 'baseline,adam', '--save', 'm.safetensors', '--quiet'], /--save names one file, but this command trains 2 runs/],
    [['train', '--save', join(tmp.dir, 'no-such-folder', 'm.safetensors'), '--quiet'], /--save .*the folder .*no-such-folder does not exist/],
    [['train', '--resume', join(tmp.dir, 'run', 'checkpoint-custom-s0.safetensors'), '--lr', '0.1', '--quiet'], /--lr cannot be combined with --resume/],
    [['train', '--resume', join(tmp.dir, 'missing.safetensors'), '--quiet'], /missing\.safetensors: the file does not exist/],
    [['train', '--resume', join(tmp.dir, 'straight.safetensors'), '--quiet'], /is a model file, not a checkpoint/],
  ];
  for (const [args, pattern] of cases) {
    const r = kindling(args, tmp.dir);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  }
});
