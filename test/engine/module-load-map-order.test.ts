// loadStateDict given a Map keeps the Map's order, as PyTorch 1.13's load_state_dict keeps an OrderedDict's: the
// unexpected keys come in it even when some are integer-like ('0', '10'), which a plain object would list first.
// The expected lists are what torch 1.13 gives for the same calls (OrderedDict of the same keys, strict=False).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, zeros, type Tensor } from '../../src/index.js';
import { throwsWith } from './throws.js';

const z = (...shape: number[]): Tensor => zeros(shape);

test('loadStateDict(map): integer-like unexpected keys keep the Map\'s order, as PyTorch\'s OrderedDict', () => {
  const state = new Map([['b', z(1)], ['weight', z(2, 2)], ['1', z(1)], ['0', z(1)], ['a.x', z(1)]]);
  // torch 1.13: missing_keys=['bias'], unexpected_keys=['b', '1', '0', 'a.x'].
  assert.deepEqual(new nn.Linear(2, 2).loadStateDict(state, false), { missingKeys: ['bias'], unexpectedKeys: ['b', '1', '0', 'a.x'] });
  throwsWith(() => new nn.Linear(2, 2).loadStateDict(state), RangeError, 'Unexpected key(s) in state_dict: "b", "1", "0", "a.x"');
});

test('loadStateDict(map) on a Sequential: the root\'s unexpected keys in the Map\'s order, then each child\'s', () => {
  const seq = new nn.Sequential(new nn.Linear(1, 1), new nn.Linear(1, 1));
  const state = new Map([['z', z(1)], ['1.weight', z(1, 1)], ['1.q', z(1)], ['0.q', z(1)], ['2', z(1)], ['10', z(1)]]);
  // torch 1.13: missing_keys=['0.weight', '0.bias', '1.bias'], unexpected_keys=['z', '2', '10', '0.q', '1.q'].
  assert.deepEqual(seq.loadStateDict(state, false), { missingKeys: ['0.weight', '0.bias', '1.bias'], unexpectedKeys: ['z', '2', '10', '0.q', '1.q'] });
});

test('loadStateDict(object): a plain object\'s own key order, as before', () => {
  // A plain object lists '1' before 'b' (JavaScript's rule), so that is the order it gives.
  const { unexpectedKeys } = new nn.Linear(1, 1).loadStateDict({ b: z(1), 1: z(1), weight: z(1, 1), bias: z(1) }, false);
  assert.deepEqual(unexpectedKeys, ['1', 'b']);
});
