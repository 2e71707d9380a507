// Every layer family's printing, state-dict keys (with shapes) and buffer names against PyTorch 1.13
// (fixtures/torch/module-reprs.json, from make_module_reprs.py): 257 configurations, options at their defaults and
// changed, made with PyTorch's positional arguments and then its keywords as one options object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Case {
  name: string;
  args: unknown[];
  options: Record<string, unknown>;
  repr: string;
  state: Array<[string, number[] | null]>;
  buffers: string[];
}

const fx = loadFixture<{ cases: Case[] }>('module-reprs.json');

/** A layer made as the case says; a loss's `weight` and `posWeight` are the tensors of the values given. */
function make(c: Case): nn.Module {
  const Layer = (nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>)[c.name];
  assert.ok(Layer !== undefined, `nn.${c.name} exists`);
  const options = Object.fromEntries(
    Object.entries(c.options).map(([k, v]) => [k, k === 'weight' || k === 'posWeight' ? tensor(v as number[]) : v]),
  );
  return Object.keys(options).length === 0 ? new Layer(...c.args) : new Layer(...c.args, options);
}

const shapeOf = (t: Tensor): number[] | null => {
  try {
    return [...t.shape];
  } catch {
    return null;
  }
};

test('every layer prints, keys its state and names its buffers as PyTorch 1.13', () => {
  assert.equal(fx.cases.length, 257);
  for (const c of fx.cases) {
    const label = `${c.name}(${JSON.stringify(c.args).slice(1, -1)}${Object.keys(c.options).length ? `, ${JSON.stringify(c.options)}` : ''})`;
    const m = make(c);
    assert.equal(String(m), c.repr, label);
    const lazy = c.state.some(([, s]) => s === null);
    const state = Object.entries(m.stateDict()).map(([k, t]): [string, number[] | null] => [k, lazy ? null : shapeOf(t)]);
    assert.deepEqual(state, lazy ? c.state.map(([k]) => [k, null]) : c.state, label);
    assert.deepEqual(m.namedBuffers().map(([n]) => n), c.buffers, label);
  }
});
