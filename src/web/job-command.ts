// The command line that trains what a web lab job trains, for results.json's `meta.command`: the CLI's own
// `reproduce` (the chapter's variants) or `train` (a configuration of the form's own), which a user can paste into
// a shell to get the same results, followed by a shell comment naming the job it stands for.
import { invocation, shellArg } from '../cli/invocation.js';
import { findVariant } from '../lab/variants.js';
import type { ActivationSpec, RunConfig } from '../report/results.js';
import type { JobPlan } from './job-spec.js';

/** An activation as `--activation` takes it: `sigmoid`, `leakyrelu:0.02`, `elu:0.5`. */
function activationArg(a: ActivationSpec): string {
  const n = a.slope ?? a.alpha;
  return n === undefined ? a.name : `${a.name}:${n}`;
}

/**
 * True when every run is a chapter variant as the book has it, at the rate `reproduce` would give it: the job's
 * `--lr` when it has one, else the variant's own (a custom run named like a variant at another rate is not one).
 */
function chapterVariants(plan: JobPlan): boolean {
  return plan.planned.every((p) => {
    const v = findVariant(p.variant);
    return v !== undefined && JSON.stringify({ ...v.config, lr: plan.lr ?? v.config.lr }) === JSON.stringify(p.config);
  });
}

/** `train`'s options for one configuration, every setting written out (so no default can change what it means). */
function configArgs(name: string, c: RunConfig): string[] {
  return [
    '--activation', activationArg(c.activation),
    '--output-activation', c.outputActivation === null ? 'none' : activationArg(c.outputActivation),
    '--loss', c.loss,
    '--optimizer', `${c.optimizer}:${c.lr}`,
    ...(c.layerNorm ? ['--layernorm'] : []),
    '--hidden', String(c.hidden),
    '--name', name,
  ];
}

/**
 * The command that trains `plan` from the CLI (on `data`, a path, when the server was given one), and, after a `#`,
 * which job of `kindling serve` it was.
 * @example jobCommand(plan, "3") // "kindling reproduce --variants baseline,adam --seeds 0 --epochs 1 --train-limit 2000  # kindling serve, job 3"
 */
export function jobCommand(plan: JobPlan, id: string, data?: string): string {
  const chapter = chapterVariants(plan);
  const args = chapter
    ? ['reproduce', '--variants', plan.planned.map((p) => p.variant).join(','), ...(plan.lr === undefined ? [] : ['--lr', String(plan.lr)])]
    : ['train', ...configArgs(plan.planned[0]!.variant, plan.planned[0]!.config)];
  args.push('--seeds', plan.seeds.join(','), '--epochs', String(plan.epochs));
  if (plan.batchSize !== 1) args.push('--batch-size', String(plan.batchSize));
  if (plan.trainLimit !== undefined) args.push('--train-limit', String(plan.trainLimit));
  if (plan.testLimit !== undefined) args.push('--test-limit', String(plan.testLimit));
  if (data !== undefined) args.push('--data', data);
  return `${invocation()} ${args.map(shellArg).join(' ')}  # kindling serve, job ${id}`;
}
