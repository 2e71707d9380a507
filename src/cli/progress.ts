import cliProgress from 'cli-progress';
import type { Progress } from '../lab/trainer.js';
import { formatCount } from '../report/format.js';

/** Shows the runs' progress: one live bar per run on a terminal, plain periodic lines otherwise, nothing when quiet. */
export interface ProgressView {
  start(index: number): void;
  update(index: number, p: Progress): void;
  finish(index: number, line: string): void;
  stop(): void;
}

export function createProgressView(names: readonly string[], totals: readonly number[], mode: 'tty' | 'lines' | 'quiet'): ProgressView {
  if (mode === 'quiet') return { start() {}, update() {}, finish() {}, stop() {} };
  if (mode === 'lines') return linesView(names);
  const width = Math.max(...names.map((n) => n.length));
  const multibar = new cliProgress.MultiBar({
    format: '{name} |{bar}| {percentage}% | {rate} samples/s | ETA {eta_formatted} | loss {loss}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    stopOnComplete: false,
    etaBuffer: 50,
    fps: 8,
  }, cliProgress.Presets.shades_classic);
  const bars = new Map<number, cliProgress.SingleBar>();
  return {
    start(i) {
      bars.set(i, multibar.create(totals[i]!, 0, { name: names[i]!.padEnd(width), rate: '-', loss: '-' }));
    },
    update(i, p) {
      bars.get(i)?.update(p.step, {
        rate: p.elapsedSeconds > 0 ? formatCount(p.samples / p.elapsedSeconds) : '-',
        loss: p.loss.toFixed(4),
      });
    },
    finish(i) {
      const bar = bars.get(i);
      if (bar) bar.update(totals[i]!);
    },
    stop() {
      multibar.stop();
    },
  };
}

/** Non-terminal output (CI logs, pipes): a line per run every 10,000 steps, as the chapter prints its counter. */
function linesView(names: readonly string[]): ProgressView {
  const last = new Map<number, number>();
  return {
    start(i) {
      process.stderr.write(`started ${names[i]}\n`);
    },
    update(i, p) {
      const mark = Math.floor(p.step / 10000);
      if (mark === (last.get(i) ?? 0)) return;
      last.set(i, mark);
      const rate = p.elapsedSeconds > 0 ? Math.round(p.samples / p.elapsedSeconds) : 0;
      process.stderr.write(`${names[i]}: step ${formatCount(p.step)}/${formatCount(p.totalSteps)}, loss ${p.loss.toFixed(4)}, ${formatCount(rate)} samples/s\n`);
    },
    finish(_i, line) {
      process.stderr.write(`${line}\n`);
    },
    stop() {},
  };
}
