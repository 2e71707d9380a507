/** The Train page: the lab's options as a form; the script posts it and shows the job live below. */
import { escapeHtml as e } from '../../report/escape.js';
import { formatChapter } from '../../report/format.js';
import { VARIANTS } from '../../lab/variants.js';
import { LIMITS } from '../shared/limits.js';
import { renderPage } from './layout.js';

function variantChecks(): string {
  return VARIANTS.map((v) => `<label><input type="checkbox" name="variant" value="${e(v.name)}"${v.name === 'baseline' ? ' checked' : ''}> <span><strong>${e(v.name)}</strong> <small>${e(v.label)}${v.chapter === null ? '' : ` · chapter ${formatChapter(v.chapter)}`}</small></span></label>`).join('\n');
}

function field(label: string, input: string): string {
  return `<label>${label}${input}</label>`;
}

/** The Train page (the same for every visitor: jobs arrive through the event stream). */
export function trainPage(): string {
  return renderPage({
    tab: 'train',
    title: 'Train',
    script: 'train.js',
    body: `<h1>Train</h1>
<p class="lead">Starts a run on this server with the lab's own code, the same as <code>kindling reproduce</code> or <code>kindling train</code>, and shows it live. One run trains at a time; others wait in a queue. The defaults make a quick run; the chapter's protocol is 3 epochs on all 60,000 images.</p>
<div id="notice" class="notice" hidden role="status"></div>
<form class="train" id="train-form" novalidate>
<fieldset><legend>What to train</legend>
<div class="checks" style="margin-bottom:8px"><label><input type="radio" name="mode" value="variants" checked> The chapter's variants</label><label><input type="radio" name="mode" value="custom"> A configuration of my own</label></div>
<div class="checks" id="variant-checks">${variantChecks()}</div>
<div class="fields" id="custom-fields" hidden>
${field('Hidden activation (blank: sigmoid)', '<input type="text" name="activation" value="sigmoid" placeholder="sigmoid, relu, tanh, leakyrelu:0.02, gelu, silu, elu:1">')}
${field('Output activation (blank: sigmoid)', '<input type="text" name="outputActivation" value="sigmoid" placeholder="sigmoid … or none">')}
${field('Loss', '<select name="loss"><option value="mse">MSE</option><option value="bce">BCE</option></select>')}
${field('Optimizer (blank: sgd)', '<input type="text" name="optimizer" value="sgd" placeholder="sgd, adam, adam:0.001, rmsprop, adagrad, nadam, adamax, radam, adadelta, rprop, asgd">')}
${field('Hidden units (blank: 200)', `<input type="number" name="hidden" value="200" min="1" max="${LIMITS.hidden}">`)}
${field('Name (blank: custom)', '<input type="text" name="name" value="custom">')}
<label class="inline"><input type="checkbox" name="layerNorm"> LayerNorm before the last layer</label>
</div>
</fieldset>
<fieldset><legend>How</legend>
<div class="fields">
${field('Seeds (blank: 0)', '<input type="text" name="seeds" value="0" placeholder="0,1,2">')}
${field("Epochs (blank: 3, the chapter's)", `<input type="number" name="epochs" value="1" min="1" max="${LIMITS.epochs}">`)}
${field("Batch size (blank: 1, the chapter's)", `<input type="number" name="batchSize" value="1" min="1" max="${LIMITS.batchSize}">`)}
${field("Learning rate (blank: the variant's)", '<input type="text" name="lr" value="" placeholder="e.g. 0.01">')}
${field('Training images (blank: all)', '<input type="number" name="trainLimit" value="10000" min="1">')}
${field('Test images (blank: all)', '<input type="number" name="testLimit" value="" min="1">')}
</div>
</fieldset>
<div class="actions"><button type="submit" id="start">Start training</button><span class="muted" id="form-hint"></span></div>
</form>
<h2>Jobs</h2>
<div id="jobs"><div class="empty">No job yet on this server.</div></div>`,
  });
}
