/** The Train page: reads the form, posts it as a job, and shows every job of the server live. */
import type { JobSnapshot } from '../shared/api-types.js';
import { ApiError, byId, notice, postJson } from './dom.js';
import { ServerUnreachable } from './lab-fetch.js';
import { LiveJobs } from './live-jobs.js';
import { parseSeeds } from '../../lab/seed-list.js';
import { LIMITS } from '../shared/limits.js';
import { clearFieldErrors, markField } from './field-errors.js';
import { fieldName, numberProblems } from './number-fields.js';

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
/** The job the notice at the top speaks of, while it does (a refused submit's message speaks of none). */
let noticeJob: string | null = null;
/** A message as a sentence after the notice's own ("every run failed, …" → "Every run failed, …"). */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const WORDS: Record<string, string> = { done: 'has finished', stopped: 'was stopped', failed: 'failed', cancelled: 'was cancelled' };
const live = new LiveJobs(byId('jobs'), {
  show: () => true,
  emptyText: 'No job yet on this server.',
  // The notice follows the job it announced, so it never says "queued" about a job that has started or ended; a
  // later message (a refused submit) is not replaced by news of an earlier job.
  onStarted: (job) => {
    if (job.id === noticeJob) notice(noticeEl, `Job ${job.id}: Training started.`, 'info');
  },
  onFinished: (job) => {
    if (job.id === noticeJob) notice(noticeEl, `Job ${job.id} ${WORDS[job.status] ?? job.status}.${job.message ? ` ${sentence(job.message)}` : ''}`, job.status === 'done' ? 'info' : 'warn');
  },
  // A restarted server numbers its jobs from 1 again: its job 1 is not the one this page started.
  onServerChange: () => {
    if (lastJob !== null) notice(noticeEl, `The server was restarted, so job ${lastJob} and the jobs before the restart are gone.`, 'warn');
    lastJob = null;
    noticeJob = null;
  },
});
live.connect();

/**
 * The form's field a server message names first (`custom.hidden: …` is the Hidden units field), if it has one, and
 * the message with the form's name for it ("Hidden units: …") in place of the API's.
 */
function refusedField(f: HTMLFormElement, message: string): { field: HTMLInputElement | HTMLSelectElement; message: string } | null {
  const m = /^(?:custom\.)?([A-Za-z]+)\b/.exec(message);
  if (m === null) return null;
  const el = f.elements.namedItem(m[1]!);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) return null;
  return { field: el, message: fieldName(el) + message.slice(m[0].length) };
}

/** Where a field's message goes: after its label. */
const anchorOf = (el: HTMLElement): HTMLElement => el.closest('label') ?? el;

type FormProblem = { field: HTMLElement; anchor: HTMLElement; message: string };

/**
 * Everything the form cannot send, in the form's order, checked here with the server's own rules and limits (so the
 * messages come before a round trip, each under its field): numbers, a variant picked, the seeds, the number of runs.
 */
function formProblems(f: HTMLFormElement): FormProblem[] {
  const problems: FormProblem[] = numberProblems(f).map((p) => ({ field: p.input, anchor: anchorOf(p.input), message: p.message }));
  const custom = (f.elements.namedItem('mode') as RadioNodeList).value === 'custom';
  const checks = Array.from(f.querySelectorAll<HTMLInputElement>('input[name=variant]'));
  const variants = custom ? 1 : checks.filter((c) => c.checked).length;
  if (variants === 0) problems.push({ field: checks[0]!, anchor: byId('variant-checks'), message: 'Pick at least one variant.' });
  const seeds = seedsProblem(f, variants);
  if (seeds !== null) problems.push(seeds);
  // In the page's order, so that the first one marked (and focused) is the first one on screen.
  const order = (a: FormProblem, b: FormProblem): number => (a.field.compareDocumentPosition(b.field) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  return problems.sort(order);
}

/** What the seeds field cannot send: not a list of seeds, too many, or too many runs with the variants picked. */
function seedsProblem(f: HTMLFormElement, variants: number): FormProblem | null {
  const seedsInput = f.elements.namedItem('seeds') as HTMLInputElement;
  const seeds = parseSeeds(seedsInput.value.trim() === '' ? '0' : seedsInput.value);
  const name = fieldName(seedsInput);
  const at = (message: string): FormProblem => ({ field: seedsInput, anchor: anchorOf(seedsInput), message: `${name}: ${message}` });
  if (!Array.isArray(seeds)) return at(seeds.problem);
  if (seeds.length > LIMITS.seeds) return at(`at most ${LIMITS.seeds} on this server, got ${seeds.length}.`);
  if (variants > 0 && variants * seeds.length > LIMITS.runs) return at(`${variants} variants × ${seeds.length} seeds make ${variants * seeds.length} runs, at most ${LIMITS.runs} on this server.`);
  return null;
}

form.addEventListener('change', syncMode);
syncMode();
/** Set while a job is being sent: the button says so (aria-disabled) but is not disabled, which would take its focus. */
let sending = false;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (sending) return;
  clearFieldErrors(form);
  const problems = formProblems(form);
  if (problems.length > 0) {
    const more = problems.length - 1;
    noticeJob = null;
    notice(noticeEl, `${problems[0]!.message}${more > 0 ? ` ${more === 1 ? 'One more field needs' : `${more} more fields need`} fixing too, each marked under it.` : ''} Nothing was started.`, 'error');
    // Marked last to first, so that the focus ends on the first.
    for (const p of [...problems].reverse()) markField(p.field, p.anchor, p.message);
    return;
  }
  void (async () => {
    sending = true;
    start.setAttribute('aria-disabled', 'true');
    try {
      const body = formBody(new FormData(form));
      const { job, message } = await postJson<{ job: JobSnapshot; message: string }>('/api/jobs', body);
      lastJob = job.id;
      noticeJob = job.id;
      notice(noticeEl, `Job ${job.id}: ${message}`, job.status === 'queued' ? 'warn' : 'info');
      live.update(job, true);
    } catch (err) {
      noticeJob = null;
      const busy = err instanceof ApiError && err.status === 409;
      const raw = err instanceof Error ? err.message : String(err);
      const sentence = (m: string): string => `${m}${/[.!]$/.test(m) ? '' : '.'}`;
      if (!(err instanceof ApiError && err.status === 400)) {
        const text = err instanceof ServerUnreachable
          ? 'The server is not answering (was it stopped?), so the job was not sent. Start the server again in its terminal, then press Start training again: this page reconnects by itself.'
          : raw;
        notice(noticeEl, text, busy ? 'warn' : 'error');
        noticeEl.scrollIntoView({ block: 'nearest' });
        return;
      }
      // Values the server refused ("custom.hidden: at most 4096 …", one per line when several are wrong): each said
      // with the form's name for its field, under it, as the page's own checks do.
      const lines = raw.split('\n');
      const refused = lines.map((line) => refusedField(form, line));
      // In the page's order, so that the first one marked (and focused) is the first one on screen.
      if (refused.every((r) => r !== null)) refused.sort((a, b) => (a!.field.compareDocumentPosition(b!.field) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      const more = lines.length - 1;
      const first = sentence(refused[0]?.message ?? lines[0]!);
      const rest = refused.every((r) => r !== null)
        ? (more > 0 ? ` ${more === 1 ? 'One more field needs' : `${more} more fields need`} fixing too, each marked under it.` : '')
        : lines.slice(1).map((l) => ` ${sentence(l)}`).join('');
      notice(noticeEl, `${first}${rest} Nothing was started.`, 'error');
      // Marked last to first, so that the focus ends on the first.
      for (const r of [...refused].reverse()) if (r !== null) markField(r.field, anchorOf(r.field), sentence(r.message));
      // Nothing in the form to show it by: the notice at the top is brought into view (a phone's screen is at the button).
      if (refused.every((r) => r === null)) noticeEl.scrollIntoView({ block: 'nearest' });
    } finally {
      sending = false;
      start.removeAttribute('aria-disabled');
    }
  })();
});
