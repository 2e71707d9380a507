/**
 * "Train in this browser": fetches a slice of MNIST from the server, trains on it in a Web Worker with the lab's
 * `trainRun`, asks the server for Node's losses on the same slice and seed, and shows how far apart they are.
 */
import type { ReferenceLosses } from '../shared/api-types.js';
import { byId, count, duration, esc, h, PALETTE, postJson } from './dom.js';
import { clearFitted, drawFitted } from './fitted-chart.js';
import { lossChartSvg } from './loss-chart.js';
import { fieldName } from './number-fields.js';
import type { TrainDone, TrainRequest, WorkerMessage } from './worker-protocol.js';
import { labFetch } from './lab-fetch.js';
import { formatCountOf, formatPercent } from '../../report/format.js';

/** Largest difference between two loss records, and how many are exactly equal (null = not finite on both). */
export function compareLosses(a: ReadonlyArray<number | null>, b: ReadonlyArray<number | null>): { maxAbs: number; equal: number; compared: number } {
  if (a.length !== b.length) return { maxAbs: Infinity, equal: 0, compared: Math.min(a.length, b.length) };
  let maxAbs = 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || y === null || x === undefined || y === undefined) {
      if (x === y) equal++;
      else maxAbs = Infinity;
      continue;
    }
    const d = Math.abs(x - y);
    if (d === 0) equal++;
    maxAbs = Math.max(maxAbs, d);
  }
  return { maxAbs, equal, compared: a.length };
}

/** Agreement "within float32 rounding": float32 carries about 7 significant digits, the losses are below 1. */
export const FLOAT32_TOLERANCE = 1e-6;

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const res = await labFetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.arrayBuffer();
}

function intInput(id: string, min: number, max: number): number {
  const el = byId<HTMLInputElement>(id);
  // Text that is not a number (`1e`) reads as "", and Number("") is 0: neither may become a value silently.
  const n = el.validity.badInput || el.value.trim() === '' ? NaN : Number(el.value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${fieldName(el)}: a whole number from ${min} to ${max}, please${el.validity.badInput ? ' (what is typed there is not a number)' : ''}`);
  return n;
}

function trainInWorker(request: TrainRequest, onPoint: (step: number, loss: number, totalSteps: number) => void): Promise<TrainDone> {
  return new Promise((resolve, reject) => {
    const worker = new Worker('/assets/train-worker.js', { type: 'module', name: 'kindling-train' });
    worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
      const msg = e.data;
      if (msg.type === 'progress') {
        onPoint(msg.progress.step, msg.progress.loss, msg.progress.totalSteps);
        return;
      }
      worker.terminate();
      if (msg.type === 'done') resolve(msg);
      else reject(new Error(msg.message));
    });
    worker.addEventListener('error', (e) => {
      worker.terminate();
      reject(new Error(`the training worker failed: ${e.message || 'it could not load'}`));
    });
    worker.postMessage(request, [request.train, request.test]);
  });
}

function renderResult(mine: TrainDone, node: ReferenceLosses): void {
  const cmp = compareLosses(node.losses, mine.losses);
  const ok = cmp.maxAbs <= FLOAT32_TOLERANCE;
  const verdict = ok
    ? cmp.equal === cmp.compared
      ? `Same losses as Node: all ${cmp.compared} recorded values are bit-identical.`
      : `Close to Node's losses, within float32 rounding: ${cmp.equal} of ${cmp.compared} recorded values are bit-identical, and the largest difference is ${cmp.maxAbs.toExponential(2)}.`
    : `The losses differ from Node's: largest difference ${Number.isFinite(cmp.maxAbs) ? cmp.maxAbs.toExponential(2) : 'not finite'} (${cmp.equal} of ${cmp.compared} identical).`;
  const rows = node.losses.slice(0, 60).map((n, i) => {
    const b = mine.losses[i] ?? null;
    const d = n === null || b === null ? '–' : n === b ? '0' : Math.abs(n - b).toExponential(1);
    return `<tr><td>${count((i + 1) * node.lossEvery)}</td><td>${n === null ? '–' : n.toFixed(7)}</td><td>${b === null ? '–' : b.toFixed(7)}</td><td>${d}</td></tr>`;
  }).join('');
  const series = [
    { name: 'Node', color: PALETTE[1]!, points: node.losses.map((l, i) => [(i + 1) * node.lossEvery, l ?? 0] as [number, number]) },
    { name: 'browser', color: PALETTE[0]!, points: mine.losses.map((l, i) => [(i + 1) * mine.lossEvery, l ?? 0] as [number, number]) },
  ];
  const out = byId('bt-result');
  // The chart of the last result, if any, is replaced: no longer drawn again when its box changes width.
  const shown = document.getElementById('bt-result-chart');
  if (shown !== null) clearFitted(shown);
  out.innerHTML = `<p class="verdict ${ok ? 'good' : 'bad'}" id="bt-verdict" data-max-diff="${cmp.maxAbs}" data-equal="${cmp.equal}" data-compared="${cmp.compared}">${esc(verdict)}</p>
<p class="muted">Browser: ${formatPercent(mine.accuracy)} on ${formatCountOf(mine.testSamples, 'test image')}, trained in ${duration(mine.trainSeconds)} (${esc(mine.kernels)}). Node: ${formatPercent(node.accuracy)}, ${duration(node.trainSeconds)} (${esc(node.kernels)}).</p>
<p class="muted"><span style="color:${PALETTE[1]}">■</span> Node <span style="color:${PALETTE[0]}">■</span> browser — the curves lie on top of each other when the numbers agree.</p>
<div id="bt-result-chart"></div>
<div class="scroll"><table class="compare"><thead><tr><th>step</th><th>Node</th><th>browser</th><th>|Δ|</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  drawFitted(byId('bt-result-chart'), 230, (box) => lossChartSvg(series, box));
}

/** The Draw page takes each model trained here into its picker. */
export type OnBrowserModel = (bytes: Uint8Array, name: string) => void;

async function run(button: HTMLButtonElement, onModel: OnBrowserModel): Promise<void> {
  const status = byId('bt-status');
  const chart = byId('bt-chart');
  if (button.getAttribute('aria-disabled') === 'true') return;
  byId('bt-result').replaceChildren();
  // Marked busy rather than disabled: a disabled button loses the keyboard's focus.
  button.setAttribute('aria-disabled', 'true');
  try {
    const variant = byId<HTMLSelectElement>('bt-variant').value;
    const images = intInput('bt-images', 10, 5000);
    const testImages = intInput('bt-test', 1, 2000);
    const seed = intInput('bt-seed', 0, 2 ** 32 - 1); // below 2^32, as the Train form's and the CLI's seeds
    status.textContent = `Fetching ${formatCountOf(images, 'training image')} and ${formatCountOf(testImages, 'test image')}…`;
    const [train, test] = await Promise.all([fetchBytes(`/api/data/train?limit=${images}`), fetchBytes(`/api/data/test?limit=${testImages}`)]);
    const nodeLosses = postJson<ReferenceLosses>('/api/reference', { variant, seed, trainLimit: images, testLimit: testImages });
    nodeLosses.catch(() => undefined);
    const points: Array<[number, number]> = [];
    let frame = 0;
    const t0 = performance.now();
    status.textContent = 'Training in a Web Worker…';
    const mine = await trainInWorker({ type: 'train', variant, seed, trainLimit: images, testLimit: testImages, train, test, progressEvery: 10 }, (step, loss, totalSteps) => {
      points.push([step, loss]);
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          const rate = (points.length * 10) / ((performance.now() - t0) / 1000);
          status.textContent = `Training in a Web Worker… step ${count(step)} of ${count(totalSteps)} · ${count(rate)} samples/s`;
          drawFitted(chart, 230, (box) => lossChartSvg([{ name: 'browser', color: PALETTE[0]!, points }], { xMax: totalSteps, ...box }));
        });
      }
    });
    // A frame still pending from the last progress report would draw "Training…" over what follows.
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = -1;
    status.textContent = "Trained. Waiting for Node's losses…";
    const node = await nodeLosses;
    clearFitted(chart);
    renderResult(mine, node);
    // The data set may hold fewer images than the fields asked for: the server sends what there is.
    status.textContent = `Done: ${variant}, seed ${seed}, ${formatCountOf(mine.trainSamples, 'image')}, 1 epoch. The model is in the picker above.`;
    // Tested on at most 2,000 images: the picker says how many, as it does for a saved model tested on fewer than 10,000.
    onModel(new Uint8Array(mine.model), `${variant} s${seed} — ${formatPercent(mine.accuracy)} of ${formatCountOf(mine.testSamples, 'test image')} · trained in this browser on ${formatCountOf(mine.trainSamples, 'image')}`);
  } catch (err) {
    status.replaceChildren(h('span', { class: 'verdict bad' }, err instanceof Error ? err.message : String(err)));
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/** Wires the section's button; `onModel` gets each model trained here. */
export function setupBrowserTraining(onModel: OnBrowserModel): void {
  const button = byId<HTMLButtonElement>('bt-start');
  button.addEventListener('click', () => void run(button, onModel));
}
