// PyTorch's UserWarnings from the data utilities, given as Node warnings.

const warned = new Set<string>();

/** A warning, once per message per process (Python's default filter shows each once). */
export function warnOnce(message: string): void {
  if (warned.has(message) || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warned.add(message);
  process.emitWarning(message);
}
