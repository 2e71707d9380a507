/** The Runs page: live jobs at the top; the run list is refreshed when one of them finishes. */
import { byId } from './dom.js';
import { LiveJobs } from './live-jobs.js';

const ACTIVE = new Set(['queued', 'running', 'stopping']);

/** Fetches the page again and swaps in its run list (the server renders it; no second template here). */
async function refreshRunList(): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/runs', { cache: 'no-store' });
  } catch {
    // The server is away (stopping or restarting): the list stays as it is until the next refresh.
    return;
  }
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const fresh = doc.getElementById('run-list');
  if (fresh !== null) byId('run-list').replaceChildren(...Array.from(fresh.childNodes));
}

const live = new LiveJobs(byId('jobs'), {
  show: (job, seenActive) => ACTIVE.has(job.status) || seenActive,
  onVisible: (visible) => {
    byId('live').hidden = !visible;
  },
  onFinished: () => void refreshRunList(),
  // A restarted server may read another runs folder.
  onServerChange: () => void refreshRunList(),
});
live.connect();
