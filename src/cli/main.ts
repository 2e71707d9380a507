import { Command, CommanderError } from 'commander';
import { backendFromEnv } from '../kernels/backend.js';
import { subnormalsFromEnv } from '../kernels/wasm/subnormals.js';
import { commands } from './commands/index.js';
import { describeFsError } from '../io/errors.js';
import { reportError } from './report-error.js';
import { kindlingVersion } from '../version.js';

/** Builds the `kindling` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('kindling')
    .description('Kindling: a PyTorch-style neural-network library and MNIST lab in TypeScript')
    .option('--debug', 'print stack traces on errors')
    .version(`kindling ${kindlingVersion()} (Node.js ${process.versions.node})`, '--version', 'print the version and exit')
    // commander's own messages (unknown option, bad argument) read like ours, on one line: "kindling: …".
    .configureOutput({ outputError: (text, write) => write(oneLine(text)) })
    .exitOverride();
  for (const register of commands) register(program);
  for (const command of program.commands) checkGiven(command);
  return program;
}

/** commander's error text (a "(Did you mean …?)" on a line of its own) as one line, with where to find help. */
function oneLine(text: string): string {
  const message = text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  return `kindling: ${message} (run with --help for usage)\n`;
}

/**
 * Options that take a value: one given twice (`--epochs 1 --epochs 2`) is an error, since commander would keep the
 * last one without a word (`--seeds 0 --seeds 1` would train seed 1 only); so is an empty one (`--out ''` would be
 * the current folder).
 */
function checkGiven(command: Command): void {
  const seen = new Map<string, string>();
  for (const option of command.options) {
    if (option.isBoolean() || option.variadic) continue;
    const name = option.name();
    command.on(`option:${name}`, (value: string | undefined) => {
      if (value === undefined) return; // an optional value left out
      if (value.trim() === '') command.error(`option '${option.long ?? option.flags}' is given an empty value`, { exitCode: 1, code: 'kindling.emptyOption' });
      const before = seen.get(name);
      if (before !== undefined) {
        command.error(`option '${option.long ?? option.flags}' is given twice ("${before}" and "${value}"): give it once`, { exitCode: 1, code: 'kindling.repeatedOption' });
      }
      seen.set(name, value);
    });
  }
}

/**
 * `kindling help <name>` of a command that does not exist: commander's help command would print the whole help and
 * exit 1 without a word about the name. Parsed as the name alone instead, it gets the unknown-command error, with
 * commander's suggestion when one is close (`help trian`: "Did you mean train?").
 */
function helpOfUnknown(program: Command, argv: readonly string[]): string[] | undefined {
  if (argv[0] !== 'help' || argv.length < 2) return undefined;
  const name = argv[1]!;
  if (name.startsWith('-')) return undefined;
  const known = program.commands.some((c) => c.name() === name || c.aliases().includes(name));
  return known ? undefined : [name];
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    // A wrong KINDLING_BACKEND or KINDLING_SUBNORMALS is refused before any command starts (not in each worker,
    // after the run folder is made); asking for help still works.
    if (!argv.includes('--help') && !argv.includes('-h') && !argv.includes('--version') && argv[0] !== 'help' && argv.length > 0) {
      backendFromEnv();
      subnormalsFromEnv();
    }
    await program.parseAsync(helpOfUnknown(program, argv) ?? (argv as string[]), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (unknown option, missing argument, help, version).
      return err.exitCode;
    }
    return reportError(err, debug);
  }
}

// A closed pipe (`kindling preview | head -3`) is not an error worth a stack trace. Nor is a terminal that went away
// (EIO: a closed window or a dropped SSH session, after its SIGHUP has asked a training command to stop): the command
// goes on without its output, to write its checkpoints and files. Any other failure to write the output (a full disk,
// ENOSPC, with stdout sent to a file) loses what it said: the command goes on to write its files, then says so and
// exits 1.
let lostOutput: unknown = null;
let finished = false;
const sayLost = (): void => {
  process.stderr.write(`kindling: could not write to standard output: ${describeFsError(lostOutput)}; what the command printed there is lost\n`);
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = 1;
};
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  if (err.code === 'EIO' || lostOutput !== null) return;
  lostOutput = err;
  if (finished) sayLost();
});
// stderr carries only progress, notes and messages: a closed pipe (`kindling train 2>&1 | head -1`) or a failed write
// (a log file on a full disk) does not stop the command, and its files and exit status are what they would have been.
process.stderr.on('error', () => {});

const code = await main(process.argv.slice(2));
process.exitCode = code;
finished = true;
if (lostOutput !== null) sayLost();
