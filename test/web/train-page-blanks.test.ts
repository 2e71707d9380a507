import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASELINE } from '../../src/lab/variants.js';
import { parseJobRequest } from '../../src/web/job-spec.js';
import { trainPage } from '../../src/web/pages/train-page.js';

/** Each text or number field of the Train form: its name and its label's text. */
function fields(html: string): Array<{ name: string; label: string }> {
  return [...html.matchAll(/<label>([^<]*)<input type="(?:text|number)" name="(\w+)"/g)].map((m) => ({ name: m[2]!, label: m[1]!.trim() }));
}

test('every text and number field of the Train form, custom ones included, says what a blank means', () => {
  const all = fields(trainPage());
  assert.deepEqual(all.map((f) => f.name), ['activation', 'outputActivation', 'optimizer', 'hidden', 'name', 'seeds', 'epochs', 'batchSize', 'lr', 'trainLimit', 'testLimit']);
  for (const f of all) assert.match(f.label, /\(blank: [^)]+\)$/, `${f.name}: "${f.label}"`);
});

test("the custom fields' blanks are what the server uses for a setting left out", () => {
  const blank = (name: string): string => /\(blank: ([^)]+)\)$/.exec(fields(trainPage()).find((f) => f.name === name)!.label)![1]!;
  const { planned } = parseJobRequest({ custom: {} });
  const run = planned[0]!;
  assert.equal(run.variant, blank('name'));
  assert.equal(blank('activation'), 'sigmoid');
  assert.deepEqual(run.config.activation, BASELINE.activation);
  assert.deepEqual(run.config.activation, parseJobRequest({ custom: { activation: blank('activation') } }).planned[0]!.config.activation);
  assert.deepEqual(run.config.outputActivation, parseJobRequest({ custom: { outputActivation: blank('outputActivation') } }).planned[0]!.config.outputActivation);
  assert.deepEqual(run.config, parseJobRequest({ custom: { optimizer: blank('optimizer') } }).planned[0]!.config);
  assert.equal(run.config.hidden, Number(blank('hidden')));
});
