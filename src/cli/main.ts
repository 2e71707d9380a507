import { Command, CommanderError } from 'commander';
import { backendFromEnv } from '../kernels/backend.js';
import { commands } from './commands/index.js';
import { reportError } from './report-error.js';

/** Builds the `kindling` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('kindling')
    .description('Kindling: a PyTorch-style neural-network library and MNIST lab in TypeScript')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    // commander's own messages (unknown option, bad argument) start like ours: "kindling: …".
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'kindling: ')) })
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    // A wrong KINDLING_BACKEND is refused before any command starts (not in each worker, after the run folder is
    // made); asking for help still works.
    if (!argv.includes('--help') && !argv.includes('-h') && argv.length > 0) backendFromEnv();
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (unknown option, missing argument, help, version).
      return err.exitCode;
    }
    return reportError(err, debug);
  }
}

// A closed pipe (`kindling preview | head -3`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
