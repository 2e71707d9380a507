// PyTorch's side of `kindling bench`: bench/torch_reference.py run through the system Python that has torch.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bench/torch_reference.py of this repository (compiled code runs from dist/bench/). */
export const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_reference.py', import.meta.url));

/** torch's version when `python` can import it, else the reason it cannot. */
export function torchVersion(python: string): { version: string } | { error: string } {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { error: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { error: `${python} cannot import torch (${r.stderr.trim().split('\n').pop() ?? 'exit ' + r.status})` };
  return { version: r.stdout.trim() };
}

/** µs per step of one variant in PyTorch (one thread), with torch_reference.py's --timing-steps protocol. */
export function torchTiming(python: string, variant: string, steps: number, batch: number): { usPerStep: number; steps: number } {
  const args = [TORCH_SCRIPT, '--variants', variant, '--seeds', '0', '--timing-steps', String(steps), '--batch-size', String(batch), '--epochs', '1', '--json'];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench: ${python} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const run = JSON.parse(line) as { us_per_step: number; steps: number };
  return { usPerStep: run.us_per_step, steps: run.steps };
}
