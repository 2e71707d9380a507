/**
 * What `loadStateDict` returns, PyTorch's `_IncompatibleKeys` namedtuple: the keys the module has and the state dict
 * lacks (`missingKeys`), and the keys of the state dict no parameter or buffer takes (`unexpectedKeys`). Printed as
 * PyTorch prints it, `<All keys matched successfully>` or `_IncompatibleKeys(missing_keys=['fc.bias'],
 * unexpected_keys=[])`, since `console.log(model.loadStateDict(sd))` is `print(model.load_state_dict(sd))`.
 */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Python's repr of a string, as in a printed list: single quotes unless the text has one and no double quote. */
function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replaceAll('\\', '\\\\').replaceAll(q, `\\${q}`).replaceAll('\n', '\\n').replaceAll('\t', '\\t').replaceAll('\r', '\\r');
  // Other control characters as Python writes them, \xNN.
  return q + escaped.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) + q;
}

/**
 * The plain object `{ missingKeys, unexpectedKeys }` with PyTorch's printed form as its (non-enumerable) toString,
 * which `console.log` shows too (Node's inspect hook).
 */
export function incompatibleKeys(missingKeys: string[], unexpectedKeys: string[]): IncompatibleKeys {
  const out: IncompatibleKeys = { missingKeys, unexpectedKeys };
  const show = (): string => {
    if (out.missingKeys.length === 0 && out.unexpectedKeys.length === 0) return '<All keys matched successfully>';
    const list = (keys: readonly string[]): string => `[${keys.map(pyStr).join(', ')}]`;
    return `_IncompatibleKeys(missing_keys=${list(out.missingKeys)}, unexpected_keys=${list(out.unexpectedKeys)})`;
  };
  Object.defineProperty(out, 'toString', { enumerable: false, value: show });
  Object.defineProperty(out, Symbol.for('nodejs.util.inspect.custom'), { enumerable: false, value: show });
  return out;
}
