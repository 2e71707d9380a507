/**
 * The Draw page: the pad, the model picker and the probability bars. Each change of the drawing is prepared as
 * MNIST expects (`toMnistPixels`, the same function `kindling predict` uses) and classified here in the browser;
 * work is batched to one classification per animation frame.
 */
import { toMnistPixels } from '../../data/image-input.js';
import { PIXEL_SCALE } from '../../data/dataset.js';
import type { LoadedModel } from '../../nn/serialize.js';
import type { ModelListing } from '../shared/api-types.js';
import { setupBrowserTraining } from './browser-train.js';
import { byId, fetchJson, h, notice } from './dom.js';
import { DrawPad } from './draw-pad.js';
import { openJobFeed } from './job-feed.js';
import { ServerUnreachable } from './lab-fetch.js';
import { accuracyFloor } from './model-choice.js';
import { addModelBytes, barValues, classify, loadModel } from './model-loader.js';
import { showOffline } from './offline-banner.js';
import { formatCountOf, formatPercent } from '../../report/format.js';

const select = byId<HTMLSelectElement>('model');
const prediction = byId('prediction');
const barsNote = byId('bars-note');
const preview = byId<HTMLCanvasElement>('preview');
const noticeEl = byId('notice');
const rows = Array.from(byId('bars').querySelectorAll<HTMLElement>('.row'));
let current: LoadedModel | null = null;
let frame = 0;
/** The model last asked for (a load that finishes after another choice is dropped), and whether it is loading. */
let wanted = '';
let loading = false;
/** The model that could not be fetched because the server was not answering: loaded again when it is back. */
let awaitingServer: string | null = null;

const pad = new DrawPad(byId<HTMLCanvasElement>('pad'), () => schedule());
byId('clear').addEventListener('click', () => pad.clear());

function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(update);
}

function showPreview(pixels: Uint8Array | null): void {
  const ctx = preview.getContext('2d');
  if (ctx === null) return;
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = pixels === null ? 0 : pixels[i]!;
    img.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  preview.dataset['pixels'] = pixels === null ? '' : Array.from(pixels).join(',');
}

/** The ten bars; the headline gives the top bar's share only when it is a probability the model gives. */
function showBars(probs: readonly number[] | null, probabilities = true): void {
  const best = probs === null ? -1 : probs.indexOf(Math.max(...probs));
  rows.forEach((row, d) => {
    const p = probs?.[d] ?? 0;
    row.classList.toggle('top', d === best);
    (row.querySelector('.fill') as HTMLElement).style.width = `${(p * 100).toFixed(1)}%`;
    (row.querySelector('.pct') as HTMLElement).textContent = probs === null ? '–' : `${(p * 100).toFixed(1)}%`;
    row.dataset['p'] = String(p);
  });
  if (probs === null) {
    delete prediction.dataset['digit'];
  } else {
    prediction.dataset['digit'] = String(best);
    prediction.replaceChildren('The model says', h('strong', {}, String(best)), probabilities ? `(${(probs[best]! * 100).toFixed(1)}%)` : '(its highest score)');
  }
}

/** No answer on screen: empty bars, no note, and what to do instead. */
function showNoAnswer(text: string): void {
  showBars(null);
  barsNote.textContent = '';
  prediction.textContent = text;
}

function update(): void {
  frame = 0;
  const pixels = pad.empty ? null : mnistPixels();
  if (pixels === undefined) return;
  // A blank drawing is never classified: a model's answer about nothing would read as if it saw a digit.
  if (pixels === null || pixels.every((v) => v === 0)) {
    showPreview(null);
    showNoAnswer(current === null ? 'Pick a model, then draw a digit.' : 'Draw a digit to see what the model answers.');
    return;
  }
  showPreview(pixels);
  // No usable model (none loaded yet, or the chosen one failed to load): the last model's answer must not stay.
  if (current === null) {
    showNoAnswer(loading ? 'Loading the model…' : 'Pick a model that loads to see what it answers.');
    return;
  }
  const x = new Float32Array(784);
  for (let i = 0; i < 784; i++) x[i] = PIXEL_SCALE[pixels[i]!]!;
  const bars = barValues(classify(current, x), current.architecture);
  barsNote.textContent = bars.note;
  showBars(bars.values, bars.probabilities);
}

/** The drawing as MNIST's 28 × 28 bytes; undefined (with the reason shown) if it cannot be prepared. */
function mnistPixels(): Uint8Array | undefined {
  const { rgba, width, height } = pad.pixels();
  try {
    return toMnistPixels(rgba, width, height);
  } catch (err) {
    showPreview(null);
    showNoAnswer(err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

function label(m: ModelListing): string {
  // An accuracy on fewer than MNIST's 10,000 test images says how many: 100% of 3 images is no recommendation.
  const few = m.testSamples !== null && m.testSamples < 10_000 ? ` of ${formatCountOf(m.testSamples, 'test image')}` : '';
  const acc = m.accuracy === null ? '' : ` — ${formatPercent(m.accuracy)}${few}`;
  const at = m.step === null ? '' : `, step ${m.step.toLocaleString('en-US')}`;
  const kind = m.file.split('/').pop()!.startsWith('checkpoint-') ? ` (checkpoint${at})` : '';
  return `${m.variant ?? m.file}${m.seed === null ? '' : ` s${m.seed}`}${kind}${acc} · ${m.run}`;
}

/** Loads the model at `path` for the pad; true when it loaded (and is still the one asked for). */
async function choose(path: string): Promise<boolean> {
  if (path === '') return false;
  // The picker stays enabled while a model loads: disabling it would take the keyboard's focus away, so the arrow
  // keys could not go on through the list. Until the chosen model is there, no model answers.
  wanted = path;
  awaitingServer = null;
  loading = true;
  current = null;
  delete select.dataset['loaded'];
  schedule();
  try {
    const loaded = await loadModel(path);
    if (wanted !== path) return false;
    loading = false;
    current = loaded;
    select.dataset['loaded'] = path;
    notice(noticeEl, '');
    schedule();
    return true;
  } catch (err) {
    if (wanted !== path) return false;
    loading = false;
    if (err instanceof ServerUnreachable) {
      // Nothing is wrong with the model: it is loaded when the server is back (see the event stream below).
      awaitingServer = path;
      notice(noticeEl, `The server is not answering (was it stopped?), so ${path} cannot be loaded yet. Start the server again in its terminal: this page loads the model when it is back.`, 'warn');
      schedule();
      return false;
    }
    notice(noticeEl, `Cannot use ${path}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    schedule();
    return false;
  }
}

const isCheckpoint = (m: ModelListing): boolean => m.file.split('/').pop()!.startsWith('checkpoint-');

/** A model's entry in the picker; a checkpoint's is marked, so that models saved later go before the checkpoints. */
function optionFor(m: ModelListing): HTMLOptionElement {
  return h('option', { value: m.path, ...(isCheckpoint(m) ? { 'data-checkpoint': 'true' } : {}) }, label(m));
}

/**
 * Models saved since the picker was filled (a run that finished while this page was open) join it when the page is
 * looked at again: final models after the others, checkpoints at the end; what is chosen stays chosen. A picker
 * that had nothing, or could not list, is filled as at the start.
 */
let refreshing = false;
/** Set while listModels fills the picker (at the start): a refresh then waits for the next look. */
let listing = false;
async function refreshModels(): Promise<void> {
  if (refreshing || listing || document.visibilityState !== 'visible') return;
  refreshing = true;
  try {
    const shown = new Set(Array.from(select.options, (o) => o.value));
    if (shown.has('') || shown.size === 0) {
      await listModels();
      return;
    }
    let models: ModelListing[];
    try {
      models = await fetchJson<ModelListing[]>('/api/models');
    } catch {
      return; // the server is away: the offline banner says so, and the picker keeps what it has
    }
    const firstCheckpoint = Array.from(select.options).find((o) => o.dataset['checkpoint'] === 'true') ?? null;
    for (const m of models) {
      if (shown.has(m.path)) continue;
      const option = optionFor(m);
      if (isCheckpoint(m)) select.append(option);
      else select.insertBefore(option, firstCheckpoint);
    }
  } finally {
    refreshing = false;
  }
}

async function listModels(): Promise<void> {
  listing = true;
  try {
    await fillPicker();
  } finally {
    listing = false;
  }
}

async function fillPicker(): Promise<void> {
  let models: ModelListing[];
  try {
    models = await fetchJson<ModelListing[]>('/api/models');
  } catch (err) {
    select.replaceChildren(h('option', { value: '' }, 'Cannot list the models'));
    notice(noticeEl, err instanceof Error ? err.message : String(err), 'error');
    return;
  }
  // Final models first; checkpoints (a stopped run's last state) are listed too, after them.
  const usable = [...models.filter((m) => !isCheckpoint(m)), ...models.filter(isCheckpoint)];
  if (usable.length === 0) {
    select.replaceChildren(h('option', { value: '' }, 'No saved model yet'));
    notice(noticeEl, 'No saved model in the runs folder yet: train one on the Train page (every finished run saves its models), then come back.', 'warn');
    return;
  }
  select.replaceChildren(...usable.map(optionFor));
  // Chosen first: the final model most likely to read a drawing right, by what its test accuracy can vouch for;
  // one that does not load (a damaged file, NaN weights) gives way to the next, and the page says which were passed.
  const ranked = [...usable].sort((a, b) => Number(isCheckpoint(a)) - Number(isCheckpoint(b)) || accuracyFloor(b) - accuracyFloor(a));
  const passed: string[] = [];
  for (const m of ranked) {
    if (passed.length > 0 && select.value !== passed[passed.length - 1]) return; // the user picked another meanwhile
    select.value = m.path;
    if (await choose(m.path)) break;
    // A server that stopped answering says nothing about the model: it is tried again when the server is back.
    if (awaitingServer === m.path) return;
    passed.push(m.path);
  }
  if (passed.length > 0 && passed.length < ranked.length && select.dataset['loaded'] === select.value) {
    notice(noticeEl, `Passed over ${passed.join(', ')}, which cannot be used (pick ${passed.length === 1 ? 'it' : 'one'} to see why); showing ${select.value}.`, 'warn');
  }
}

/** A model trained in this browser joins the picker, first, and is chosen. */
let browserModels = 0;
function addBrowserModel(bytes: Uint8Array, name: string): void {
  const key = `browser:${++browserModels}`;
  try {
    addModelBytes(key, bytes);
  } catch (err) {
    notice(noticeEl, `The model trained in this browser cannot be used: ${err instanceof Error ? err.message : String(err)}`, 'error');
    return;
  }
  const option = h('option', { value: key }, name);
  if (select.options.length === 1 && select.options[0]!.value === '') select.replaceChildren(option);
  else select.prepend(option);
  select.value = key;
  notice(noticeEl, '');
  void choose(key);
}

select.addEventListener('change', () => void choose(select.value));
setupBrowserTraining(addBrowserModel);
void listModels();
document.addEventListener('visibilitychange', () => void refreshModels());
// As on the live pages, the server's event stream says when the server is away (the banner at the top) and when it
// is back (each connection's hello): then what could not be had from it is asked for again.
openJobFeed((e) => {
  showOffline(e.type === 'offline');
  if (e.type !== 'hello') return;
  if (awaitingServer !== null && awaitingServer === select.value) void choose(awaitingServer);
  else void refreshModels();
});
window.addEventListener('focus', () => void refreshModels());
