// PyTorch 1.13's deprecation of `scheduler.step(epoch)`: see warnEpochDeprecated.
import { warnOnce } from '../warn.js';

/** PyTorch 1.13's EPOCH_DEPRECATION_WARNING (lr_scheduler.py), without its link to PyTorch's issue tracker. */
export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. ' +
  'Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, ' +
  'the closed form is used instead of the new chainable form, where available.';

/**
 * PyTorch's UserWarning for `step(epoch)`, once per process from each `place`: Python's default filter shows it once
 * per line of code that warns, and PyTorch warns from two (`_LRScheduler.step` and `ReduceLROnPlateau.step`).
 */
export function warnEpochDeprecated(place: 'LRScheduler.step' | 'ReduceLROnPlateau.step'): void {
  warnOnce(EPOCH_DEPRECATION_WARNING, place);
}
