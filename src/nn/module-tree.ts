/**
 * Walks over a module and its descendants, as PyTorch's `named_modules` and `apply`. Module trees are shallow (a
 * few levels), so plain recursion is fine here; what must not happen is going round a loop of modules forever, so
 * each walk keeps the path from the root and refuses a module that is already on it.
 */
import type { Module } from './module.js';

/** The error for a loop of modules, each a sub-module of the one before, back to the first. */
export function cycleError(loop: readonly Module[]): Error {
  const names = loop.slice(1).map((c, i) => loop[i]!.namedChildren().find(([, m]) => m === c)?.[0] ?? '?');
  const root = loop[0]!.constructor.name;
  const last = names[names.length - 1]!;
  return new Error(
    `module cycle: ${root}.${names.join('.')} is the ${root} that contains it. A module held in a property is a ` +
      'sub-module (as in PyTorch), so the tree would never end; keep a reference back to a parent in a #private ' +
      `field, or in a non-enumerable property (Object.defineProperty(this, '${last}', { value: parent, enumerable: false }))`,
  );
}

/** Throws when `child` is already on the path from the root (`ancestors`, its parent last). */
function checkNotAncestor(ancestors: readonly Module[], child: Module): void {
  const at = ancestors.indexOf(child);
  if (at !== -1) throw cycleError([...ancestors.slice(at), child]);
}

/**
 * `[name, module]` for `root` (named `prefix`) and every descendant, depth first, each module once under the first
 * name met (PyTorch's `named_modules()`: a module held twice is listed once). Names below a prefix get a dot after
 * it, unless it ends in one (as `namedParameters`). With `removeDuplicate` false, as PyTorch's
 * `named_modules(remove_duplicate=False)`, a module is listed under every name it is held under (`children` of a
 * module then gives each of its names, the same module under two included).
 */
export function namedModules(root: Module, prefix: string, removeDuplicate = true, children = (m: Module): ReadonlyArray<readonly [string, Module]> => m.namedChildren()): Array<[string, Module]> {
  const out: Array<[string, Module]> = [];
  const seen = new Set<Module>();
  const visit = (m: Module, name: string, ancestors: Module[]): void => {
    if (removeDuplicate) {
      if (seen.has(m)) return;
      seen.add(m);
    }
    out.push([name, m]);
    ancestors.push(m);
    for (const [n, c] of children(m)) {
      checkNotAncestor(ancestors, c);
      visit(c, name === '' || name.endsWith('.') ? name + n : `${name}.${n}`, ancestors);
    }
    ancestors.pop();
  };
  visit(root, prefix, []);
  return out;
}

/**
 * Calls `fn` on every sub-module of `root`, then on `root`, as PyTorch's `apply`: each child's subtree before the
 * child, children in order. As there, a module is visited once per parent that holds it (once however many names
 * that parent holds it under).
 */
export function applyToTree(root: Module, fn: (m: Module) => void): void {
  const visit = (m: Module, ancestors: Module[]): void => {
    ancestors.push(m);
    for (const c of m.children()) {
      checkNotAncestor(ancestors, c);
      visit(c, ancestors);
    }
    ancestors.pop();
    fn(m);
  };
  visit(root, []);
}
