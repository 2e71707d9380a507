// The schedulers' power of a float to a fractional float (ExponentialLR's gamma ** epoch at step(2.5), PolynomialLR's
// ratio ** power), against Python's `**` (C's pow, glibc's) on 1,200 pairs (fixtures/torch/sched-epoch.json, "pow",
// written by fixtures/torch/make_sched_epoch.py with the correctly rounded power from mpmath beside Python's).
// V8's `**` is an ulp off Python's for about one such pair in ten; pyPow rounds correctly, so it is Python's except
// where glibc's pow (within 0.52 ulp) is not correctly rounded itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pyPow } from '../../src/optim/pow-int.js';
import { optim, zeros } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const fx = loadFixture<{ pow: [number, number, number, number][] }>('sched-epoch.json');

test('pyPow(x, p) is the correctly rounded power, which is Python\'s x ** p wherever glibc rounds correctly', () => {
  assert.equal(fx.pow.length, 1200);
  const offCorrect: string[] = [];
  const offPython: string[] = [];
  for (const [x, p, python, correct] of fx.pow) {
    const got = pyPow(x, p);
    if (got !== correct) offCorrect.push(`${x} ** ${p}: ${got}, correctly rounded ${correct}`);
    if (got !== python && python === correct) offPython.push(`${x} ** ${p}: ${got}, Python ${python}`);
  }
  assert.deepEqual(offCorrect, []);
  assert.deepEqual(offPython, []);
  // glibc's own misroundings are few (2 of the 1,200 here).
  assert.ok(fx.pow.filter(([, , python, correct]) => python !== correct).length <= 3);
});

test('ExponentialLR.step(epoch) at a fractional epoch gives Python\'s rate to the bit, where V8\'s ** is an ulp off', () => {
  const pairs = fx.pow.filter(([x, p, python]) => x === 0.9 && x ** p !== python);
  assert.ok(pairs.length >= 5, 'the fixture has powers of 0.9 where V8 is off');
  for (const [gamma, epoch, python] of pairs) {
    const opt = new optim.SGD([zeros(1, { requiresGrad: true })], 1);
    const sched = new optim.lr_scheduler.ExponentialLR(opt, gamma);
    sched.step(epoch);
    assert.equal(opt.options.lr, python, `step(${epoch}) with gamma ${gamma}`);
  }
});
