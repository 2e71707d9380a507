import { Command, Option } from 'commander';
import { shellArg } from '../invocation.js';
import { CHAPTER_VARIANTS, findVariant } from '../../lab/variants.js';
import { addLabOptions, givenOptions, type LabOptions } from '../lab-options.js';
import { variantList } from '../options.js';

/** `kindling reproduce`: the chapter's table on real MNIST (what `npm start` runs). */
export function registerReproduce(program: Command): void {
  const cmd = program
    .command('reproduce')
    .description("train the chapter's variants on MNIST and compare them (what `npm start` runs)")
    .addOption(new Option('--variants <list>', 'comma-separated variants to run (there is also leakyrelu-hidden)').argParser(variantList).default([...CHAPTER_VARIANTS], CHAPTER_VARIANTS.join(',')));
  addLabOptions(cmd, { seeds: '0' }).action(async (opts: LabOptions & { variants: string[] }, command: Command) => {
    const planned = opts.variants.map((name) => {
      const v = findVariant(name)!;
      return { variant: v.name, label: v.label, config: v.config };
    });
    const { runLab } = await import('../lab-command.js');
    process.exitCode = await runLab(planned, opts, { command: 'reproduce', commandLine: `kindling ${process.argv.slice(2).map(shellArg).join(' ')}`, given: givenOptions(command) });
  });
}
