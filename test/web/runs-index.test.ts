import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRun } from '../../src/web/runs-index.js';
import { tempDir } from './helpers.js';

test('a run folder whose results.json is not JSON is listed with a problem naming the file', () => {
  const root = tempDir();
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'results.json'), '{bad');
  const listed = describeRun(root, 'broken');
  assert.match(listed!.problem!, /^results\.json is not valid JSON: /);
});
