/**
 * A loss and an output activation that cannot train together, refused before any run starts: BCE takes the log
 * of the outputs and of one minus them, so it needs outputs in [0, 1], and no output activation at all leaves them
 * unbounded. The CLI and the web lab name the two settings their own way (`--loss bce`, `custom.loss "bce"`).
 */
import type { RunConfig } from '../report/results.js';

/** How a front end writes one of its settings with a value, e.g. `--loss bce` or `custom.loss "bce"`. */
export type SettingWriter = (setting: 'loss' | 'outputActivation', value: string) => string;

/**
 * Why `config` cannot train, in the words `write` gives the settings, or null when it can.
 * @example lossOutputProblem({ loss: 'bce', outputActivation: null }, (s, v) => `${s}=${v}`)
 * // 'loss=bce needs outputs in [0, 1], and outputActivation=none leaves them unbounded (…): use outputActivation=sigmoid'
 */
export function lossOutputProblem(config: Pick<RunConfig, 'loss' | 'outputActivation'>, write: SettingWriter): string | null {
  if (config.loss === 'bce' && config.outputActivation === null) {
    return `${write('loss', 'bce')} needs outputs in [0, 1], and ${write('outputActivation', 'none')} leaves them unbounded (the first negative output would stop the run): use ${write('outputActivation', 'sigmoid')}`;
  }
  return null;
}
