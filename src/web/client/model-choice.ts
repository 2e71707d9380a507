// Which saved model the Draw page picks first.
import type { ModelListing } from '../shared/api-types.js';

/**
 * The least the model's accuracy can be, with 95% confidence, given how many test images it counts (the Wilson
 * score interval's lower end): 97% of 10,000 images stays about 97%, 100% of 3 images is only about 44%. Without
 * a recorded count, the accuracy itself; without an accuracy, −1.
 */
export function accuracyFloor(m: Pick<ModelListing, 'accuracy' | 'testSamples'>): number {
  if (m.accuracy === null) return -1;
  const n = m.testSamples;
  if (n === null || n < 1) return m.accuracy;
  const z2 = 1.96 * 1.96;
  const p = m.accuracy;
  return (p + z2 / (2 * n) - 1.96 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}
