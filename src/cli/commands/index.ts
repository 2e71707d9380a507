import type { Command } from 'commander';
import { registerPreview } from './preview.js';
import { registerReproduce } from './reproduce.js';
import { registerTrain } from './train.js';

/** Every command of the CLI; each module adds itself to the program. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerReproduce, registerTrain, registerPreview];
