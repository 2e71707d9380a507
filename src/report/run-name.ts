/**
 * Run names become parts of file names (`model-<name>-s0.safetensors`, `loss-<name>.svg`): letters, digits, '.',
 * '_' or '-', at most 64, starting with a letter or digit; `all`, in any case, is the overlay plot's.
 */
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What is wrong with `name` as a run name (to follow "is …"), or null when it will do. */
export function runNameProblem(name: string): string | null {
  if (!RUN_NAME.test(name)) return `${JSON.stringify(name)}, expected letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit; it names files)`;
  // In any case: on a file system that ignores case (macOS's, Windows') loss-ALL.svg is loss-all.svg.
  if (name.toLowerCase() === 'all') return `${JSON.stringify(name).replace(/"/g, "'")}, which is reserved for the overlay plot (loss-all.svg${name === 'all' ? '' : ', the same file where case is ignored'})`;
  return null;
}
