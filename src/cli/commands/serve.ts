import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { KindlingError } from '../../errors.js';
import { describeFsError } from '../../io/errors.js';
import type { LabServer } from '../../web/server.js';
import { positiveInt } from '../options.js';
import { holdWorkerWrites, onEachStopSignal, quitTraining, SAME_SIGNAL_MS, signalStatus } from '../quit-training.js';
import { formatPercent } from '../../report/format.js';

interface ServeOptions {
  port: number;
  host: string;
  runs: string;
  data?: string;
  workers?: number;
}

/** 1–65535, or 0 for any free port (the address is printed). */
function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError(`expected a port from 1 to 65535 (or 0 for any free one), got "${value}".`);
  return n;
}

/** What became of a job the shutdown stopped: its run folder, and the command that continues it. */
function shutdownNote(server: LabServer, id: string): string {
  const job = server.queue.get(id);
  if (job === undefined) return '';
  const folder = job.runFolder === undefined ? undefined : join(server.runsRoot, job.runFolder);
  const resume = server.queue.resumeCommand(id);
  if (job.status === 'stopped' && folder !== undefined && resume !== undefined) {
    const runs = job.runs.map((r) => {
      const where = r.status === 'stopped' && r.totalSteps > 0 ? ` at step ${r.step.toLocaleString('en-US')} of ${r.totalSteps.toLocaleString('en-US')}` : '';
      const accuracy = r.accuracy === undefined ? '' : ` (${formatPercent(r.accuracy)})`;
      return `  ${r.name}: ${r.status === 'waiting' ? 'not started' : r.status}${where}${accuracy}\n`;
    });
    return `Job ${id} (${job.title}) was stopped; nothing trained so far is lost.\n${runs.join('')}  Run folder: ${folder}\n  Resume with: ${resume}\n`;
  }
  if (job.status === 'done' && folder !== undefined) return `Job ${id} (${job.title}) had finished training; its results and report are in ${folder}\n`;
  return `Job ${id} (${job.title}) ended ${job.status}${job.message === undefined ? '' : `: ${job.message}`}\n`;
}

/** Why this process cannot write into `folder`, or null when it can. */
function writeProblem(folder: string): string | null {
  try {
    accessSync(folder, constants.W_OK);
    return null;
  } catch (err) {
    return describeFsError(err);
  }
}

/** `kindling serve`: the lab in a browser — runs, live training, draw-a-digit. Runs until Ctrl-C. */
async function runServe(opts: ServeOptions): Promise<void> {
  if (existsSync(opts.runs) && !statSync(opts.runs).isDirectory()) throw new KindlingError(`--runs ${opts.runs}: that is a file, not a folder`);
  // Jobs write their run folders there (made when the first one starts). A folder still to be made needs its nearest
  // existing parent, which must be a folder; one that cannot be written can still be browsed, and the server says so.
  let writable = resolve(opts.runs);
  while (!existsSync(writable) && dirname(writable) !== writable) writable = dirname(writable);
  if (!statSync(writable).isDirectory()) throw new KindlingError(`--runs ${opts.runs}: ${writable} is a file, not a folder`);
  const readOnly = writeProblem(writable);
  // The server (fastify and the lab's routes) is loaded only by this command: every other one starts without it.
  const { assetsBuilt, createLabServer } = await import('../../web/server.js');
  const { jobsInTraining } = await import('../../web/job-runner.js');
  const server = createLabServer({ runsDir: opts.runs, host: opts.host, ...(opts.data === undefined ? {} : { data: opts.data }), ...(opts.workers === undefined ? {} : { workers: opts.workers }) });
  // Read the data now: a bad --data is an error on the command line, not in the middle of someone's first job.
  server.data.get();
  if (!assetsBuilt(server.assetsDir)) {
    process.stderr.write(`kindling: note: the page scripts are missing from ${server.assetsDir}; run \`npm run build\` for the Draw and live views.\n`);
  }
  let address: string;
  try {
    address = await server.app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    const problem = listenProblem((err as NodeJS.ErrnoException).code, opts.port, opts.host);
    if (problem !== null) throw new KindlingError(problem);
    throw err;
  }
  // Ctrl-C is handled before the address is printed: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    // A second signal while the jobs stop quits at once, as the lab commands' does: checkpoints already written are
    // kept, a folder left empty is removed.
    let firstAt = 0;
    const again = (signal: NodeJS.Signals): void => {
      if (performance.now() - firstAt < SAME_SIGNAL_MS) return;
      // The CLI's quit for each job training now: its checkpoints kept, the runs without one given the checkpoint
      // they start from, a folder left empty removed; and the command that resumes what is kept.
      const jobs = jobsInTraining();
      for (const job of jobs) holdWorkerWrites(job.stop);
      const quits = jobs.map((job) => ({ said: quitTraining(job.dir, [job.dir], job.planned), resume: existsSync(job.dir) ? job.resume : undefined }));
      const said = quits.map((q) => q.said).join('; ');
      const resumes = quits.flatMap((q) => (q.resume === undefined ? [] : [`  ${q.resume}\n`])).join('');
      process.stderr.write(`\nkindling: ${signal} again: quitting without waiting${said === '' ? '' : ` (${said})`}\n${resumes === '' ? '' : `Resume with:\n${resumes}`}`);
      process.exit(signalStatus(signal));
    };
    const stop = (signal: NodeJS.Signals): void => {
      firstAt = performance.now();
      uninstallStop();
      onEachStopSignal(again);
      // The jobs training now: once the server has stopped them, where each was left and how to continue it.
      const active = server.queue.list().filter((j) => j.status === 'running' || j.status === 'stopping').map((j) => j.id);
      const queued = server.queue.list().filter((j) => j.status === 'queued');
      process.stdout.write(active.length === 0
        ? '\nStopping the server…\n'
        : '\nStopping the server: the job in progress finishes its current step and writes its checkpoints…\n');
      void server.app.close().then(() => {
        // `again` stays until the process ends: the same signal delivered twice (GNU timeout -s INT) may come after
        // the server has closed, and with no handler left it would kill the process by the signal instead.
        for (const id of active) process.stdout.write(shutdownNote(server, id));
        // Jobs still waiting in the queue never started, so nothing of theirs is kept: said, so that none is lost unsaid.
        for (const j of queued) process.stdout.write(`Job ${j.id} (${j.title}) was waiting in the queue and is cancelled: nothing of it was trained; start it again from the Train page\n`);
        // A job cut short by the signal: the exit code says so, as the lab commands' does (130, 143 or 129); one that
        // had finished training anyway, or queued jobs, leave it 0.
        if (active.some((id) => server.queue.get(id)?.status === 'stopped')) process.exitCode = signalStatus(signal);
        resolve();
      });
    };
    const uninstallStop = onEachStopSignal(stop);
  });
  // The address it listens on, as is ("localhost" may resolve to ::1 first, where nothing listens).
  process.stdout.write(`Kindling lab at ${address}/ — Runs ${address}/runs · Train ${address}/train · Draw ${address}/draw\nRun folders: ${server.runsRoot}. Press Ctrl-C to stop.\n`);
  if (readOnly !== null) process.stderr.write(`kindling: note: --runs ${opts.runs}: cannot write into the folder ${writable}: ${readOnly}; its runs can be browsed and drawn with, but a job started from the Train page will fail\n`);
  if (!existsSync(server.runsRoot)) {
    process.stderr.write(`kindling: note: ${server.runsRoot} does not exist yet: the Runs page is empty until a run started from the Train page makes it.\n`);
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`kindling: note: listening on ${opts.host}: anyone who can reach this address can start training runs and read the run folders.\n`);
  }
  await stopped;
}

/** Registers `kindling serve` on the program. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the lab in your browser: runs with live progress, a Train form, and draw-a-digit (Ctrl-C to stop)')
    .option('--port <n>', 'port to listen on', port, 8080)
    .option('--host <address>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--runs <dir>', 'run folders to show, and where new runs are written', 'runs')
    .option('--data <path>', 'IDX folder or CSV folder holding both splits, to train on (default: the embedded MNIST)')
    .option('--workers <n>', 'worker threads per training job (default: one per core)', positiveInt)
    .action(async (opts: ServeOptions) => {
      await runServe(opts);
    });
}

/** What a failure to listen on `host`:`port` means for the user, by its error code; null for an unexpected one. */
export function listenProblem(code: string | undefined, port: number, host: string): string | null {
  if (code === 'EADDRINUSE') return `port ${port} on ${host} is already in use; pick another with --port`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${host}: no such local address`;
  if (code === 'EACCES') return `port ${port} on ${host} needs privileges this user does not have (ports below 1024 usually do); pick another with --port, e.g. --port 8080`;
  return null;
}
