/** Whether operations record the graph. Scoped by `noGrad`/`enableGrad`, never a global switch users flip. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording operations for autograd (like `with torch.no_grad():`). The scope is synchronous:
 * code after an `await` inside an async `fn` runs once the previous mode is back.
 *
 * @example
 * const prediction = noGrad(() => model.forward(x)); // no graph kept
 */
export function noGrad<T>(fn: () => T): T {
  const saved = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}

/** Runs `fn` with graph recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const saved = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}
