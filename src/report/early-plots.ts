/**
 * Loss plots drawn while other runs still train, one at a time, instead of all of them after the last run:
 * - when a core finishes a run and more runs wait, it first draws a variant that is ready (all its runs done), if no
 *   other plot is being drawn, while the other cores train (`betweenJobs`, for the pool's `beforeNextJob`);
 * - once every job has started and a core has nothing left to train, it draws the finished variants' plots.
 * The report then takes those plots as they are (`writeRunFolder`'s `prerendered`); a plot that failed is left for
 * the report to draw again. A plot takes about 1.1 s of a core (Vega's SVG 0.6–0.8 s, resvg's PNG 0.4–0.5 s, for
 * 18,000 dots); with the second rule alone, the last two runs of `npm start` often ended together and left every
 * plot for the end, 3.8–7.7 s after the last run (docs/speed.md, "Session 42").
 */
import { renderLossPlot, type PlotOptions, type RenderedPlot } from './plots.js';
import type { RunResult } from './results.js';

export class EarlyPlots {
  private readonly variants: readonly string[];
  private readonly slots: number;
  private readonly options: PlotOptions;
  private readonly runs = new Map<string, { index: number; run: RunResult }[]>();
  private readonly left = new Map<string, number>();
  private readonly ready: string[] = [];
  private readonly plots = new Map<string, Promise<RenderedPlot>>();
  private started = 0;
  private done = 0;
  private busy: Promise<unknown> | null = null;
  private closed = false;

  /**
   * @param variants the variant of each job, in job order.
   * @param slots how many jobs train at once (the pool's workers).
   */
  constructor(variants: readonly string[], slots: number, options: PlotOptions = {}) {
    this.variants = variants;
    this.slots = Math.max(1, Math.min(slots, variants.length));
    this.options = options;
    for (const v of variants) this.left.set(v, (this.left.get(v) ?? 0) + 1);
  }

  /** A job started training. */
  jobStarted(): void {
    this.started++;
  }

  /** A job ended: with its result, or without one (failed or stopped: its variant is then not drawn early). */
  jobFinished(index: number, result?: RunResult): void {
    this.done++;
    const variant = this.variants[index]!;
    if (result === undefined) this.left.set(variant, Number.POSITIVE_INFINITY);
    else {
      // Through JSON, as the report reads results.json: the plot is drawn from the same numbers.
      const run = JSON.parse(JSON.stringify(result)) as RunResult;
      this.runs.set(variant, [...(this.runs.get(variant) ?? []), { index, run }]);
      const n = this.left.get(variant)! - 1;
      this.left.set(variant, n);
      if (n === 0) this.ready.push(variant);
    }
    this.next();
  }

  /**
   * Starts no more plots and waits for the one being drawn, if any: the report draws the rest itself, one at a
   * time, so two plots are never drawn at once (each takes well over 100 MB while it is drawn).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.busy?.catch(() => undefined);
  }

  /**
   * A core finished a run and another run waits for it: a promise for the plot it should draw first, or undefined to
   * go on training. A plot is drawn there only while no other is (each takes well over 100 MB while it is drawn), and
   * only with two or more slots: with one, the plot would leave the other core idle, where the report's own drawing
   * uses both (each plot's PNG made while the next one's SVG is drawn).
   */
  betweenJobs(): Promise<unknown> | undefined {
    if (this.slots < 2 || this.busy !== null || this.closed || this.ready.length === 0) return undefined;
    this.draw(this.ready.shift()!);
    return this.busy ?? undefined;
  }

  /** The plots rendered early, by variant (each a promise: it may still be rendering). */
  rendered(): ReadonlyMap<string, Promise<RenderedPlot>> {
    return this.plots;
  }

  private idle(): boolean {
    return this.started === this.variants.length && this.started - this.done < this.slots;
  }

  private next(): void {
    if (this.busy !== null || this.closed || !this.idle()) return;
    const variant = this.ready.shift();
    if (variant !== undefined) this.draw(variant);
  }

  private draw(variant: string): void {
    // In job order, as the results file lists them.
    const runs = [...this.runs.get(variant)!].sort((a, b) => a.index - b.index).map((r) => r.run);
    const plot = renderLossPlot(runs, this.options);
    this.plots.set(variant, plot);
    const after = (): void => {
      this.busy = null;
      this.next();
    };
    // A plot that failed (a thread that could not start, say) is not kept: the report draws it again.
    this.busy = plot.then(after, () => {
      if (this.plots.get(variant) === plot) this.plots.delete(variant);
      after();
    });
  }
}
