/** The Train page: reads the form, posts it as a job, and shows every job of the server live. */
import type { JobSnapshot } from '../shared/api-types.js';
import { ApiError, byId, notice, postJson } from './dom.js';
import { LiveJobs } from './live-jobs.js';
import { firstNumberProblem } from './number-fields.js';

const form = byId<HTMLFormElement>('train-form');
const noticeEl = byId('notice');
const start = byId<HTMLButtonElement>('start');

/** The form as the API's JSON: blank fields are left out so the server's defaults apply. */
export function formBody(data: FormData): Record<string, unknown> {
  const text = (name: string): string | undefined => {
    const v = data.get(name);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const body: Record<string, unknown> = {};
  if (text('mode') === 'custom') {
    const custom: Record<string, unknown> = { layerNorm: data.get('layerNorm') === 'on' };
    for (const k of ['activation', 'outputActivation', 'loss', 'optimizer', 'hidden', 'name']) {
      const v = text(k);
      if (v !== undefined) custom[k] = v;
    }
    body['custom'] = custom;
  } else {
    body['variants'] = data.getAll('variant').filter((v): v is string => typeof v === 'string').join(',');
  }
  for (const k of ['seeds', 'epochs', 'batchSize', 'lr', 'trainLimit', 'testLimit']) {
    const v = text(k);
    if (v !== undefined) body[k] = v;
  }
  return body;
}

function syncMode(): void {
  const custom = (form.elements.namedItem('mode') as RadioNodeList).value === 'custom';
  byId('variant-checks').hidden = custom;
  byId('custom-fields').hidden = !custom;
}

let lastJob: string | null = null;
/** A message as a sentence after the notice's own ("every run failed, …" → "Every run failed, …"). */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const WORDS: Record<string, string> = { done: 'has finished', stopped: 'was stopped', failed: 'failed', cancelled: 'was cancelled' };
const live = new LiveJobs(byId('jobs'), {
  show: () => true,
  emptyText: 'No job yet on this server.',
  // The notice follows the job it announced, so it never says "queued" about a job that has ended.
  onFinished: (job) => {
    if (job.id === lastJob) notice(noticeEl, `Job ${job.id} ${WORDS[job.status] ?? job.status}.${job.message ? ` ${sentence(job.message)}` : ''}`, job.status === 'done' ? 'info' : 'warn');
  },
  // A restarted server numbers its jobs from 1 again: its job 1 is not the one this page started.
  onServerChange: () => {
    if (lastJob !== null) notice(noticeEl, `The server was restarted, so job ${lastJob} and the jobs before the restart are gone.`, 'warn');
    lastJob = null;
  },
});
live.connect();

/** The form's field a server message names first (`custom.hidden: …` is the Hidden units field), if it has one. */
function refusedField(f: HTMLFormElement, message: string): HTMLInputElement | HTMLSelectElement | null {
  const name = /^(?:custom\.)?([A-Za-z]+)\b/.exec(message)?.[1];
  if (name === undefined) return null;
  const el = f.elements.namedItem(name === 'variants' ? 'variant' : name);
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el : null;
}

form.addEventListener('change', syncMode);
syncMode();
/** Set while a job is being sent: the button says so (aria-disabled) but is not disabled, which would take its focus. */
let sending = false;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (sending) return;
  const problem = firstNumberProblem(form);
  for (const input of Array.from(form.querySelectorAll('input, select'))) input.removeAttribute('aria-invalid');
  if (problem !== null) {
    problem.input.setAttribute('aria-invalid', 'true');
    problem.input.focus();
    notice(noticeEl, `${problem.message} Nothing was started.`, 'error');
    return;
  }
  void (async () => {
    sending = true;
    start.setAttribute('aria-disabled', 'true');
    try {
      const body = formBody(new FormData(form));
      if (body['variants'] === '') throw new ApiError(400, 'Pick at least one variant.');
      const { job, message } = await postJson<{ job: JobSnapshot; message: string }>('/api/jobs', body);
      lastJob = job.id;
      notice(noticeEl, `Job ${job.id}: ${message}`, job.status === 'queued' ? 'warn' : 'info');
      live.update(job, true);
    } catch (err) {
      const busy = err instanceof ApiError && err.status === 409;
      const message = err instanceof Error ? err.message : String(err);
      // A value the server refused ("custom.hidden: at most 4096 …", "seeds: …"): its field is marked and focused,
      // as the page's own checks do.
      const field = err instanceof ApiError && err.status === 400 ? refusedField(form, message) : null;
      if (field !== null) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
      notice(noticeEl, err instanceof ApiError && err.status === 400 ? `${message}${/[.!]$/.test(message) ? '' : '.'} Nothing was started.` : message, busy ? 'warn' : 'error');
    } finally {
      sending = false;
      start.removeAttribute('aria-disabled');
    }
  })();
});
