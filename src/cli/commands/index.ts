import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerEval } from './eval.js';
import { registerPredict } from './predict.js';
import { registerPreview } from './preview.js';
import { registerReproduce } from './reproduce.js';
import { registerServe } from './serve.js';
import { registerTrain } from './train.js';

/** Every command of the CLI; each module adds itself to the program. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerReproduce, registerTrain, registerEval, registerPredict, registerPreview, registerServe, registerBench];
