/**
 * Live view of the server's training jobs, fed by its event stream (`/api/events`): per job a card with its
 * status, a stop button, one row per run (progress, samples/s, ETA, latest loss, then test accuracy) and the loss
 * chart growing point by point. Redraws are batched to one per animation frame. Each (re)connection's hello is the
 * whole list: jobs it does not name are dropped, and all are when it comes from another start of the server.
 */
import type { JobNews, JobSnapshot, LiveRun, ProgressEvent } from '../shared/api-types.js';
import { mergeJob } from '../shared/live-points.js';
import { ApiError, arrangeChildren, count, duration, h, PALETTE, postJson } from './dom.js';
import { openJobFeed, type Hello } from './job-feed.js';
import { ACTIVE, applyProgress } from './job-mirror.js';
import { clearFitted, drawFitted } from './fitted-chart.js';
import { lossChartSvg } from './loss-chart.js';
import { showOffline } from './offline-banner.js';
import { formatPercent } from '../../report/format.js';

export interface LiveJobsOptions {
  /** Which jobs to show (the Runs page shows only active ones and those that end while it is open). */
  readonly show: (job: JobSnapshot, seenActive: boolean) => boolean;
  /** Called once when a shown job finishes. */
  readonly onFinished?: (job: JobSnapshot) => void;
  /** Called when a queued job starts (seen live). */
  readonly onStarted?: (job: JobSnapshot) => void;
  /** Shown when there is no job to show; empty: hide the container's section instead. */
  readonly emptyText?: string;
  /** Called with true when at least one job is shown. */
  readonly onVisible?: (visible: boolean) => void;
  /** Called when the server was restarted (its jobs, and their ids, are gone), after the list is emptied. */
  readonly onServerChange?: () => void;
}


interface Card {
  readonly root: HTMLElement;
  readonly heading: HTMLElement;
  readonly badge: HTMLElement;
  readonly message: HTMLElement;
  readonly stop: HTMLButtonElement;
  readonly runs: HTMLElement;
  readonly chart: HTMLElement;
  readonly link: HTMLElement;
}

/** The line under a run on the live cards: its state, or its progress, rate, ETA and latest loss. */
export function runStats(r: LiveRun, job: JobSnapshot): string {
  if (r.status === 'done' && r.accuracy !== undefined) return `test accuracy ${formatPercent(r.accuracy)} · trained in ${duration(r.elapsedSeconds)}`;
  if (r.status === 'failed') return r.error ?? 'failed';
  if (r.status === 'stopped') return r.step > 0 ? `stopped at step ${r.step.toLocaleString('en-US')} of ${r.totalSteps.toLocaleString('en-US')}` : 'stopped before it started';
  if (r.status === 'waiting') return ACTIVE.has(job.status) ? 'waiting' : 'not started';
  // Training, before its first progress report (every 10 steps: seconds, with large batches or layers).
  if (r.totalSteps === 0) return r.status === 'running' ? 'starting…' : 'not started';
  const rate = r.elapsedSeconds > 0 ? r.samples / r.elapsedSeconds : 0;
  const stepsPerSecond = r.elapsedSeconds > 0 ? r.step / r.elapsedSeconds : 0;
  const eta = stepsPerSecond > 0 ? (r.totalSteps - r.step) / stepsPerSecond : NaN;
  const last = r.points[r.points.length - 1];
  const pct = Math.floor((100 * r.step) / r.totalSteps);
  return `${pct}% · ${count(rate)} samples/s · ETA ${r.step >= r.totalSteps ? 'testing…' : duration(eta)} · loss ${last ? last[1].toFixed(4) : '–'}`;
}

export class LiveJobs {
  private readonly jobs = new Map<string, JobSnapshot>();
  private readonly cards = new Map<string, Card>();
  private readonly seenActive = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Jobs whose stop was asked for from this page and not yet answered: their button stays marked busy. */
  private readonly stopping = new Set<string>();
  /** Why the server refused a job's stop: shown on its card, over the job's own message, until the next stop or its end. */
  private readonly refusals = new Map<string, string>();
  private frame = 0;
  /** The server start the last hello came from (its id is undefined if the server does not send one); null before any. */
  private server: { id: string | undefined } | null = null;

  constructor(private readonly container: HTMLElement, private readonly options: LiveJobsOptions) {}

  /** Follows the server's event stream (the browser reconnects by itself if the server restarts). */
  connect(): void {
    openJobFeed((e) => {
      showOffline(e.type === 'offline');
      if (e.type === 'hello') this.replaceAll(e.data);
      else if (e.type === 'job') this.update(e.data, true);
      else if (e.type === 'progress') this.progress(e.data);
    });
  }

  /**
   * Makes the list the hello's: a job it does not name is gone from the server (dropped), one it names is shown as
   * it says. From another start of the server (job ids start again at 1), everything is dropped first, so an old
   * job's card or revision never stands for a new job.
   */
  private replaceAll(hello: Hello): void {
    const restarted = this.server !== null && hello.server !== this.server.id;
    this.server = { id: hello.server };
    const listed = new Set(hello.jobs.map((j) => j.id));
    for (const id of [...this.jobs.keys()]) if (restarted || !listed.has(id)) this.forget(id);
    if (restarted) this.options.onServerChange?.();
    // A job known before that ended while the stream was away still counts as finishing now.
    for (const j of hello.jobs) this.update(j, this.jobs.has(j.id));
    this.layout();
  }

  private forget(id: string): void {
    const card = this.cards.get(id);
    if (card !== undefined) clearFitted(card.chart);
    this.jobs.delete(id);
    this.cards.delete(id);
    this.seenActive.delete(id);
    this.dirty.delete(id);
    this.refusals.delete(id);
  }

  /**
   * Adds or replaces a job from a snapshot (e.g. the answer to a POST, before the stream reports it) or from the
   * stream's news (which keeps the loss points shown).
   */
  update(incoming: JobSnapshot | JobNews, live: boolean): void {
    const before = this.jobs.get(incoming.id);
    // An older snapshot than the one shown (a stop request's answer overtaken by the stream) changes nothing.
    if (before !== undefined && incoming.revision < before.revision) return;
    const job = mergeJob(incoming, before);
    this.jobs.set(job.id, job);
    if (ACTIVE.has(job.status)) this.seenActive.add(job.id);
    if (live && before !== undefined && ACTIVE.has(before.status) && !ACTIVE.has(job.status) && this.options.show(job, true)) {
      this.options.onFinished?.(job);
    }
    if (live && before?.status === 'queued' && job.status === 'running' && this.options.show(job, true)) this.options.onStarted?.(job);
    this.layout();
    // A change of status is drawn at once: animation frames, which batch the progress events, do not come while
    // the page is in the background, and a finished or stopped job must not look running when one looks again.
    const card = this.cards.get(job.id);
    if (card !== undefined) {
      this.render(job, card);
      this.dirty.delete(job.id);
    }
  }

  private progress(p: ProgressEvent): void {
    const job = this.jobs.get(p.jobId);
    if (job !== undefined && applyProgress(job, p)) this.mark(job.id);
  }

  private mark(id: string): void {
    this.dirty.add(id);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  private visibleJobs(): JobSnapshot[] {
    return [...this.jobs.values()].filter((j) => this.options.show(j, this.seenActive.has(j.id))).sort((a, b) => Number(b.id) - Number(a.id));
  }

  /** Puts the shown jobs' cards in order (newest first) and the empty text when there are none. */
  private layout(): void {
    const shown = this.visibleJobs();
    this.options.onVisible?.(shown.length > 0);
    if (shown.length === 0) {
      this.container.replaceChildren(...(this.options.emptyText ? [h('div', { class: 'empty' }, this.options.emptyText)] : []));
      return;
    }
    arrangeChildren(this.container, shown.map((j) => this.card(j).root));
  }

  private flush(): void {
    this.frame = 0;
    for (const id of this.dirty) {
      const job = this.jobs.get(id);
      if (job !== undefined && this.cards.has(id)) this.render(job, this.cards.get(id)!);
    }
    this.dirty.clear();
  }

  private card(job: JobSnapshot): Card {
    let card = this.cards.get(job.id);
    if (card === undefined) {
      const badge = h('span', { class: 'badge' });
      const stop = h('button', { type: 'button', class: 'danger', 'data-action': 'stop' }, 'Stop');
      stop.addEventListener('click', () => void this.stop(job.id, stop));
      const link = h('span', {});
      // Focusable from script only: where the keyboard's focus goes when the Stop button it was on goes away.
      const heading = h('h3', { tabindex: '-1' }, `Job ${job.id}: ${job.title}`);
      const header = h('header', {}, heading, badge, link, stop);
      const message = h('p', { class: 'muted', style: 'margin:0 0 6px' });
      const runs = h('div', { class: 'live-runs' });
      const chart = h('div', { class: 'live-chart' });
      const root = h('article', { class: 'card job', 'data-job': job.id }, header, message, runs, chart);
      card = { root, heading, badge, message, stop, runs, chart, link };
      this.cards.set(job.id, card);
      this.render(job, card);
    }
    return card;
  }

  private render(job: JobSnapshot, card: Card): void {
    card.root.dataset['status'] = job.status;
    card.badge.className = `badge ${job.status}`;
    card.badge.textContent = job.status === 'queued' && job.position !== undefined ? `queued (#${job.position})` : job.status;
    const active = ACTIVE.has(job.status);
    if (!active) this.refusals.delete(job.id);
    card.message.textContent = this.refusals.get(job.id) ?? job.message ?? '';
    card.message.hidden = card.message.textContent === '';
    // A finished job has a report; a stopped one has its checkpoints in the folder, and the report of the runs that
    // finished before the stop, if any. Made again only when that changes, so that a link keeps the keyboard's focus.
    const links = job.runFolder === undefined ? '' : `${job.runFolder}\n${job.status === 'done' || job.report === true}`;
    if (job.runFolder !== undefined && card.link.dataset['links'] !== links) {
      const folder = h('a', { href: `/runs#${encodeURIComponent(job.runFolder)}` }, job.runFolder);
      const report = h('a', { href: `/files/${encodeURIComponent(job.runFolder)}/report.html` }, 'report');
      card.link.replaceChildren(...(job.status === 'done' || job.report === true ? [report, ' · ', folder] : [folder]));
      card.link.dataset['links'] = links;
    }
    // A job that ends takes its Stop button away: the keyboard's focus on it goes to the job's folder, or its heading.
    if (!active && !card.stop.hidden && document.activeElement === card.stop) (card.link.querySelector('a') ?? card.heading).focus();
    card.stop.hidden = !active;
    // Marked busy rather than disabled: a disabled button loses the keyboard's focus.
    if (job.status === 'stopping' || this.stopping.has(job.id)) card.stop.setAttribute('aria-disabled', 'true');
    else card.stop.removeAttribute('aria-disabled');
    card.stop.textContent = job.status === 'queued' ? 'Cancel' : 'Stop';
    const rows = job.runs.map((r, i) => {
      const pct = r.totalSteps > 0 ? (100 * r.step) / r.totalSteps : r.status === 'done' ? 100 : 0;
      return h('div', { class: 'live-run', 'data-run': r.name, 'data-status': r.status },
        h('span', { class: 'name' }, h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }), r.name),
        h('div', { class: 'bar' }, h('div', { style: `width:${pct.toFixed(1)}%` })),
        h('span', { class: 'stats' }, runStats(r, job)));
    });
    card.runs.replaceChildren(...rows);
    const xMax = Math.max(1, ...job.runs.map((r) => r.totalSteps));
    const series = job.runs.map((r, i) => ({ name: r.name, color: PALETTE[i % PALETTE.length]!, points: r.points }));
    const drawn = job.runs.some((r) => r.points.length > 0);
    drawFitted(card.chart, 250, (box) => (drawn ? lossChartSvg(series, { xMax, ...box }) : ''));
    card.chart.dataset['points'] = String(job.runs.reduce((n, r) => n + r.points.length, 0));
  }

  private async stop(id: string, button: HTMLButtonElement): Promise<void> {
    if (button.getAttribute('aria-disabled') === 'true') return;
    this.stopping.add(id);
    this.refusals.delete(id);
    button.setAttribute('aria-disabled', 'true');
    try {
      const job = await postJson<JobSnapshot>(`/api/jobs/${encodeURIComponent(id)}/stop`, {});
      this.stopping.delete(id);
      this.update(job, true);
    } catch (err) {
      this.stopping.delete(id);
      const job = this.jobs.get(id);
      const card = this.cards.get(id);
      // Kept, so that the job's next news (every frame while it runs) does not wipe it; said only while it can apply.
      if (job !== undefined && ACTIVE.has(job.status)) this.refusals.set(id, err instanceof ApiError ? err.message : String(err));
      if (job !== undefined && card !== undefined) this.render(job, card);
      else button.removeAttribute('aria-disabled');
    }
  }
}
