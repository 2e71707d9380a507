// PyTorch's UserWarnings, given as Node warnings: below every tier (ops, nn, data), as errors.ts.

const warned = new Set<string>();

/**
 * A warning, once per process per place: Python's default filter shows a warning once per message and line of code,
 * so one message given from two functions shows twice. `place` names the function (default: one place per message).
 */
export function warnOnce(message: string, place = ''): void {
  const key = `${place}\n${message}`;
  if (warned.has(key) || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warned.add(key);
  process.emitWarning(message);
}
