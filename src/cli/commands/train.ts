import { Command, Option } from 'commander';
import { shellArg } from '../invocation.js';
import { KindlingError } from '../../errors.js';
import { MAX_HIDDEN } from '../../lab/limits.js';
import { lossOutputProblem } from '../../lab/output-range.js';
import { BASELINE, describeConfig } from '../../lab/variants.js';
import { DEFAULT_LR, OPTIMIZER_LIST, type ActivationSpec, type OptimizerName, type RunConfig } from '../../report/results.js';
import { addLabOptions, givenOptions, type LabOptions } from '../lab-options.js';
import { activationSpec, hiddenUnits, lossName, optimizerSpec, outputActivationSpec, runName } from '../options.js';

interface TrainOptions extends LabOptions {
  activation: ActivationSpec;
  outputActivation: ActivationSpec | 'none';
  loss: 'mse' | 'bce';
  optimizer: { optimizer: OptimizerName; lr?: number };
  layernorm?: boolean;
  hidden: number;
  name?: string;
}

/** `kindling train`: one custom configuration of the chapter's classifier, with the lab's outputs. */
export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train one custom configuration of the classifier (784 → hidden → 10)')
    .addOption(new Option('--activation <name>', 'hidden activation: sigmoid, relu, tanh, leakyrelu[:slope], gelu, silu, elu[:alpha]').argParser(activationSpec).default(BASELINE.activation, 'sigmoid'))
    .addOption(new Option('--output-activation <name>', 'after the last layer: sigmoid, relu, tanh, leakyrelu[:slope], gelu, silu, elu[:alpha] or none').argParser(outputActivationSpec).default(BASELINE.outputActivation, 'sigmoid'))
    .addOption(new Option('--loss <name>', 'mse or bce').argParser(lossName).default(BASELINE.loss, BASELINE.loss))
    .addOption(new Option('--optimizer <name>', `${OPTIMIZER_LIST}, optionally with :lr (defaults: PyTorch's, adam and radam 0.001, nadam and adamax 0.002, adadelta 1, the others 0.01)`).argParser(optimizerSpec).default({ optimizer: 'sgd' as const }, 'sgd'))
    .option('--layernorm', 'LayerNorm(hidden) before the last layer')
    .option('--hidden <n>', `hidden units (1–${MAX_HIDDEN})`, hiddenUnits, BASELINE.hidden)
    .option('--name <name>', 'name of the run in the table and files: letters, digits, ".", "_", "-" (default: custom)', runName);
  addLabOptions(cmd, { seeds: '0' }, 'train').action(async (opts: TrainOptions, command: Command) => {
    const lr = opts.lr ?? opts.optimizer.lr ?? DEFAULT_LR[opts.optimizer.optimizer];
    const config: RunConfig = {
      activation: opts.activation,
      outputActivation: opts.outputActivation === 'none' ? null : opts.outputActivation,
      loss: opts.loss,
      optimizer: opts.optimizer.optimizer,
      lr,
      layerNorm: Boolean(opts.layernorm),
      hidden: opts.hidden,
    };
    const problem = opts.resume === undefined ? lossOutputProblem(config, (setting, value) => `${setting === 'loss' ? '--loss' : '--output-activation'} ${value}`) : null;
    if (problem !== null) throw new KindlingError(problem);
    if (opts.resume === undefined && config.loss === 'bce' && config.outputActivation?.name !== 'sigmoid') {
      process.stderr.write('kindling: note: BCE needs outputs in [0, 1]; only a Sigmoid output guarantees that.\n');
    }
    const name = opts.name ?? 'custom';
    const context = { command: 'train' as const, commandLine: `kindling ${process.argv.slice(2).map(shellArg).join(' ')}`, given: givenOptions(command) };
    const { runLab } = await import('../lab-command.js');
    process.exitCode = await runLab([{ variant: name, label: describeConfig(config), config }], { ...opts, lr }, context);
  });
}
