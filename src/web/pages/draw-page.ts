/** The Draw page: a canvas, a model picker and ten probability bars; and training a model in this browser. */
import { escapeHtml as e } from '../../report/escape.js';
import { VARIANTS } from '../../lab/variants.js';
import { renderPage } from './layout.js';

function bars(): string {
  return Array.from({ length: 10 }, (_, d) => `<div class="row" data-digit="${d}"><span>${d}</span><div class="track"><div class="fill"></div></div><span class="pct">–</span></div>`).join('');
}

/** The Draw page (models are listed by its script from `/api/models`). */
export function drawPage(): string {
  const options = VARIANTS.map((v) => `<option value="${e(v.name)}"${v.name === 'adam' ? ' selected' : ''}>${e(v.name)} — ${e(v.label)}</option>`).join('');
  return renderPage({
    tab: 'draw',
    title: 'Draw',
    script: 'draw.js',
    body: `<h1>Draw a digit</h1>
<p class="lead">Draw with the mouse or a finger. The drawing is prepared as MNIST expects (cropped, scaled into 20 × 20, centred by mass in 28 × 28) and the model runs here in the browser, with Kindling's own engine.</p>
<div id="notice" class="notice" hidden role="status"></div>
<div class="draw-layout">
<div class="pad">
<canvas id="pad" class="pad-canvas" width="280" height="280" aria-label="Drawing area, 280 by 280 pixels"></canvas>
<div class="actions"><button type="button" id="clear" class="secondary">Clear</button></div>
<div class="preview-row"><canvas id="preview" class="preview" width="28" height="28"></canvas><span>What the model sees:<br>28 × 28, as in MNIST</span></div>
</div>
<div>
<div class="fields" style="grid-template-columns:minmax(0,1fr);max-width:460px;margin-bottom:12px">
<label>Model<select id="model"><option value="">Loading the saved models…</option></select></label>
</div>
<p class="prediction" id="prediction">Draw a digit to see what the model answers.</p>
<div class="bars" id="bars">${bars()}</div>
<p class="muted" id="bars-note" style="font-size:13px;margin-top:8px"></p>
</div>
</div>
<h2>Train in this browser</h2>
<p class="lead">Trains a model in a Web Worker, with the same code Node runs, on the first images of MNIST served by this server, then compares the first epoch's losses with Node's for the same seed.</p>
<div class="card">
<div class="fields" style="margin-bottom:12px">
<label style="grid-column: span 2">Variant<select id="bt-variant">${options}</select></label>
<label>Training images<input type="number" id="bt-images" value="2000" min="10" max="5000"></label>
<label>Test images<input type="number" id="bt-test" value="500" min="1" max="2000"></label>
<label>Seed<input type="number" id="bt-seed" value="0" min="0"></label>
</div>
<div class="actions"><button type="button" id="bt-start">Train in this browser</button><span class="muted" id="bt-status"></span></div>
<div id="bt-chart" style="margin-top:12px"></div>
<div id="bt-result"></div>
</div>`,
  });
}
