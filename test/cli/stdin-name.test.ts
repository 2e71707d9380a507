import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStdinUse, stdinName } from '../../src/cli/stdin-name.js';

test('"-" names standard input; other names stay as given', () => {
  assert.equal(stdinName('-'), '/dev/stdin');
  assert.equal(stdinName('./-'), './-');
  assert.equal(stdinName('digit.png'), 'digit.png');
});

test('standard input is given to one file at most, and "-" is refused on a terminal', () => {
  const model = { what: '--model', path: '-' };
  assert.doesNotThrow(() => checkStdinUse([model, { what: 'input 1', path: 'a.png' }], false));
  assert.throws(() => checkStdinUse([model, { what: 'input 1', path: '/dev/fd/0' }, { what: 'input 2', path: '-' }], false), {
    message: "--model (-), input 1 (/dev/fd/0) and input 2 (-) all read standard input, which can be read only once: pipe in one of them and name the others' files",
  });
  assert.throws(() => checkStdinUse([model], true), { message: '--model is "-", standard input, but that is this terminal: pipe the file in (cat FILE | kindling …) or give its name' });
  // /dev/stdin named outright on a terminal is the user's explicit choice: read as any file.
  assert.doesNotThrow(() => checkStdinUse([{ what: 'input 1', path: '/dev/stdin' }], true));
});
