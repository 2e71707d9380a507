// One pattern of the ops bench, timed in a process of its own (`kindling bench --ops` starts one per pattern and
// round), printing one JSON line: the fastest block's µs per step, every block's, the pattern's check, and the
// subnormal build its kernels ran (KINDLING_SUBNORMALS, which the parent sets to its own).
//   node dist/bench/ops-child.js <pattern> [--scale X]
// A pattern that throws prints one line, `ops-child <pattern>: <message>`, and exits 1; the stack trace follows only
// when KINDLING_DEBUG is set (`kindling --debug bench --ops` sets it for its children).
import { wasmBuild } from '../src/kernels/backend.js';
import { OPS_NAMES, findPattern } from './ops.js';
import { checkOf } from './ops/check.js';
import { scaled, timeSteps } from './ops/harness.js';

function fail(message: string): never {
  process.stderr.write(`ops-child: ${message}\n`);
  process.exit(2);
}

const [name = '', ...rest] = process.argv.slice(2);
let scale = 1;
if (rest.length === 2 && rest[0] === '--scale') scale = Number(rest[1]);
else if (rest.length !== 0) fail('usage: ops-child.js <pattern> [--scale X]');
if (!(Number.isFinite(scale) && scale > 0)) fail(`--scale must be a number above 0, got "${rest[1]}"`);
const pattern = findPattern(name) ?? fail(`unknown pattern "${name}"; expected one of ${OPS_NAMES.join(', ')}`);

try {
  // The check first, on a setup of its own; then a fresh setup is timed. A check that is not finite (NaN, ±Infinity)
  // is printed as null, as JSON has no such numbers (ops_reference.py does the same).
  const check = checkOf(pattern);
  const m = timeSteps(pattern.setup(), scaled(pattern.plan, scale));
  process.stdout.write(`${JSON.stringify({ name, us: m.us, blocks: m.blocks, steps: m.steps, warm: m.warm, check: Number.isFinite(check) ? check : null, subnormals: wasmBuild()?.mode ?? null })}\n`);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`ops-child ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  const debug = process.env['KINDLING_DEBUG'];
  if (debug !== undefined && debug !== '' && debug !== '0' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
