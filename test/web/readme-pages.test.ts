// The README's tour of `kindling serve` names the pages as the server has them: a newcomer looking for "Train in
// the browser" finds it where the README says, under the heading it quotes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { drawPage } from '../../src/web/pages/draw-page.js';
import { trainPage } from '../../src/web/pages/train-page.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8').replace(/\s+/g, ' ');

test('the README says which page holds "Train in the browser", and that page has the heading it quotes', () => {
  const m = /\*\*Train in the browser\*\* \(on the (\w+) page, under "([^"]+)"\)/.exec(readme);
  assert.ok(m, 'the "Train in the browser" item of the README names its page and heading');
  const pages: Record<string, string> = { Draw: drawPage(), Train: trainPage() };
  const page = pages[m[1]!];
  assert.ok(page !== undefined, `the README names a page the server does not have: ${m[1]}`);
  assert.ok(page.includes(`<h2>${m[2]}</h2>`), `the ${m[1]} page has no heading "${m[2]}"`);
});
