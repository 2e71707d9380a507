import { existsSync, readFileSync } from 'node:fs';
import type { ReferenceFigures } from '../report/results.js';

/**
 * PyTorch's measured accuracy per variant (mean ± std over seeds 0, 1, 2), from the committed record that
 * `bench/torch_reference.py` wrote. Undefined when the record is missing or unreadable.
 */
export function loadPyTorchReference(): ReferenceFigures | undefined {
  const url = new URL('../../../fixtures/torch/reference-accuracy.json', import.meta.url);
  if (!existsSync(url)) return undefined;
  try {
    const json = JSON.parse(readFileSync(url, 'utf8')) as { runs?: Array<{ variant: string; accuracy: number }> };
    const by = new Map<string, number[]>();
    for (const r of json.runs ?? []) {
      if (typeof r.variant !== 'string' || typeof r.accuracy !== 'number') continue;
      by.set(r.variant, [...(by.get(r.variant) ?? []), r.accuracy]);
    }
    const out: Record<string, { mean: number; std: number; n: number }> = {};
    for (const [v, acc] of by) {
      const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
      const std = acc.length > 1 ? Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / (acc.length - 1)) : 0;
      out[v] = { mean, std, n: acc.length };
    }
    return Object.keys(out).length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}
