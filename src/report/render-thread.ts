/**
 * A rendering thread kept between plots. Starting a thread and loading Vega into it took about 250 ms of the
 * 550–650 ms a loss plot took on a thread of its own, and a warm Vega draws the next plot faster again; the report
 * draws seven plots one after another, so one thread serves them all. It ends once it has been idle for a moment
 * (its heap is then freed at once), and it never keeps the process alive while it waits.
 */
import { Worker } from 'node:worker_threads';

/** What a rendering thread posts back for each job. */
export type ThreadReply = { ok: true } | { ok: false; message: string };

interface Pending {
  readonly resolve: (reply: unknown) => void;
  readonly reject: (err: Error) => void;
}

export class RenderThread<Job, Reply extends ThreadReply> {
  private readonly url: URL;
  private readonly idleMs: number;
  private worker: Worker | null = null;
  private current: Pending | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  /**
   * @param url the thread's script: it answers each message with one reply (ThreadReply).
   * @param idleMs how long the thread waits for another job before it ends.
   */
  constructor(url: URL, idleMs = 2000) {
    this.url = url;
    this.idleMs = idleMs;
  }

  /** Whether a thread is running now (it starts on the first job and ends when idle). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Runs one job after every job queued before it. Rejects with `plot rendering failed: …` when the thread
   * answers with an error or dies; the next job then starts a new thread.
   */
  run(job: Job): Promise<Extract<Reply, { ok: true }>> {
    this.queued++;
    const result = this.turn.then(() => this.send(job));
    const settled = (): void => {
      if (--this.queued === 0) this.rest();
    };
    this.turn = result.then(settled, settled);
    return result;
  }

  /** Ends the thread now (a job being drawn fails). */
  async close(): Promise<void> {
    this.clearIdle();
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private send(job: Job): Promise<Extract<Reply, { ok: true }>> {
    this.clearIdle();
    const worker = this.worker ?? this.start();
    worker.ref();
    return new Promise<unknown>((resolve, reject) => {
      this.current = { resolve, reject };
      worker.postMessage(job);
    }).then((reply) => {
      const r = reply as Reply;
      if (!r.ok) throw new Error(`plot rendering failed: ${r.message}`);
      return r as Extract<Reply, { ok: true }>;
    });
  }

  private start(): Worker {
    // A small young generation: the render's garbage is collected as it goes (40–50 MB less at the peak, no slower).
    const worker = new Worker(this.url, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker = worker;
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      const pending = this.current;
      this.current = null;
      pending?.reject(err);
    };
    worker.on('message', (reply: unknown) => {
      const pending = this.current;
      this.current = null;
      pending?.resolve(reply);
    });
    worker.on('error', (err) => fail(new Error(`plot rendering failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`plot rendering failed: the rendering thread exited with code ${code}`)));
    return worker;
  }

  /** Nothing queued: the thread no longer holds the process open, and ends if nothing comes soon. */
  private rest(): void {
    const worker = this.worker;
    if (worker === null) return;
    worker.unref();
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.queued === 0 && this.worker === worker) void this.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
