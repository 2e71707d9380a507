/**
 * The errors of `nn/members.ts` that say what to write instead: modules or parameters held in a container the member
 * scan does not look into, and a value assigned where a parameter or sub-module was, which cannot take its place.
 */
import { describeKind } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import type { Members } from './members.js';

/**
 * Arrays, plain objects, `Map`s and `Set`s are not looked into (as in PyTorch, where a list of layers is a classic way
 * to lose their parameters): one holding a module or parameter that is not a member is an error saying what to do
 * instead. An array of numbers is passed over without reading past its first element.
 */
export function checkContainers<M extends object>(owner: object, keys: readonly string[], members: Members<M>, isModule: (v: unknown) => v is M, isParameter: (v: unknown) => v is Tensor): void {
  for (const key of keys) {
    const v = (owner as Record<string, unknown>)[key] as object;
    if (Array.isArray(v) && (v.length === 0 || typeof v[0] !== 'object')) continue;
    const c = containerOf(key, v);
    const where = owner.constructor.name;
    for (const [label, item] of c.items) {
      if (isModule(item) && !members.modules.some(([, m]) => m === item)) {
        const fix = c.listLike
          ? `hold them in an nn.ModuleList instead (this.${key} = new nn.ModuleList(${c.kind === 'Set' ? `[...this.${key}]` : '[...]'}), keys "${key}.0.weight", …)`
          : `hold them in an nn.ModuleDict instead (this.${key} = new nn.ModuleDict(${c.kind === 'Map' ? 'map' : '{ ... }'}), keys "${key}.${c.firstKey}.weight", …), or make each one a property of its own (this.${c.firstKey} = …)`;
        throw new TypeError(
          `${where}.${key} is ${c.what} holding modules (${label} is a ${item.constructor.name}) that are not registered: ` +
            `Kindling, like PyTorch, does not look inside ${c.plural}, so their parameters would be missing from parameters(), stateDict() and the optimizer. ` +
            `${fix[0]!.toUpperCase()}${fix.slice(1)}; or, to keep them out on purpose, in a #private field`,
        );
      }
      if (isParameter(item) && !members.params.some(([, p]) => p === item)) {
        throw new TypeError(
          `${where}.${key} is ${c.what} holding parameters (${label} is an nn.Parameter) that are not registered: ` +
            `Kindling, like PyTorch, does not look inside ${c.plural}, so they would be missing from parameters(), stateDict() and the optimizer. ` +
            'Register each with this.registerParameter(name, tensor), or make each one a property of its own; or, to keep them out on purpose, hold them in a #private field',
        );
      }
    }
  }
}

interface Container {
  kind: 'array' | 'object' | 'Map' | 'Set';
  /** 'an array', …, and the plural, for the message. */
  what: string;
  plural: string;
  /** Items in order (ModuleList's fix) rather than by key (ModuleDict's). */
  listLike: boolean;
  firstKey: string;
  /** `[label, item]`: how the item is reached from the module (`layers[0]`, `heads.cls`, `heads.get("cls")`). */
  items: Array<[string, unknown]>;
}

/** The items of the container `v` held in the property `key`, labelled as the module's code reaches them. */
function containerOf(key: string, v: object): Container {
  if (Array.isArray(v)) {
    return { kind: 'array', what: 'an array', plural: 'arrays', listLike: true, firstKey: '0', items: v.map((x, i) => [`${key}[${i}]`, x]) };
  }
  if (v instanceof Set) {
    return { kind: 'Set', what: 'a Set', plural: 'Sets', listLike: true, firstKey: '0', items: [...v].map((x, i) => [`[...${key}][${i}]`, x]) };
  }
  if (v instanceof Map) {
    const items: Array<[string, unknown]> = [...v].map(([k, x]) => [`${key}.get(${typeof k === 'string' ? JSON.stringify(k) : String(k)})`, x]);
    const first: unknown = v.keys().next().value;
    return { kind: 'Map', what: 'a Map', plural: 'Maps', listLike: false, firstKey: typeof first === 'string' ? first : 'name', items };
  }
  const entries = Object.entries(v);
  return { kind: 'object', what: 'a plain object', plural: 'plain objects', listLike: false, firstKey: entries[0]?.[0] ?? 'name', items: entries.map(([k, x]) => [`${key}.${k}`, x]) };
}

/** The kind of member a name holds, which decides what may be assigned over it (PyTorch's `Module.__setattr__`). */
export type Kind = 'parameter' | 'module';

/**
 * PyTorch's TypeError for assigning `v` to `name` of `owner` where it holds a parameter (only a parameter or null may
 * take its place) or a sub-module (a module, a parameter or null). `later`: found by a call after the assignment;
 * `nullable` false: a layer's parameter that null cannot replace (`Linear.weight`).
 */
export function assignError(owner: object, name: string, kind: Kind, v: unknown, how: { later?: boolean; nullable?: boolean } = {}): TypeError {
  const cls = owner.constructor.name;
  const given = describeKind(v);
  const head = how.later
    ? `${cls}.${name} holds ${given} where it held the ${kind === 'parameter' ? 'parameter' : 'sub-module'} '${name}': cannot assign`
    : `${cls}.${name}: cannot assign`;
  if (kind === 'module') {
    return new TypeError(`${head} ${given} as child module '${name}' (an nn.Module or null expected, as in PyTorch)`);
  }
  const expected = how.nullable !== false ? 'an nn.Parameter or null expected, as in PyTorch' : `an nn.Parameter expected${v === null ? `: a ${cls} cannot do without its ${name}` : ''}`;
  const hint = v instanceof Tensor
    ? `. To make the tensor the parameter, wrap it (model.${name} = new nn.Parameter(tensor), then give the optimizer the new parameters()); to change the parameter's values, copy them in: noGrad(() => model.${name}.copy_(tensor))`
    : '';
  return new TypeError(`${head} ${given} as parameter '${name}' (${expected})${hint}`);
}
