/**
 * Reading parsed JSON by path, each check throwing a `ResultsError` that names the file, the path
 * (`runs[2].confusion[3][7]`), what is there and what was expected: the schema checks of `validate.ts` are built on it.
 */
import { ResultsError } from './results.js';

/** Relative tolerance for recomputed averages (JSON round trips are exact, summing in another order is not). */
const TOLERANCE = 1e-9;

type Obj = Record<string, unknown>;

export class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ResultsError(`${this.source}: ${path} ${problem}`);
  }

  describe(v: unknown): string {
    if (v === undefined) return 'missing';
    if (v === null) return 'null';
    if (Array.isArray(v)) return `an array of ${v.length}`;
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    if (typeof v === 'object') return 'an object';
    return `${typeof v} ${String(v)}`;
  }

  object(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `is ${this.describe(v)}, expected an object`);
    return v as Obj;
  }

  array(v: unknown, path: string, length?: number): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `is ${this.describe(v)}, expected an array`);
    if (length !== undefined && v.length !== length) this.fail(path, `has ${v.length} ${v.length === 1 ? 'entry' : 'entries'}, expected ${length}`);
    return v;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `is ${this.describe(v)}, expected a string`);
    return v;
  }

  /** `true`, the only value of a flag that is absent when false. */
  isTrue(v: unknown, path: string): true {
    if (v !== true) this.fail(path, `is ${this.describe(v)}, expected true (or no ${path.split('.').at(-1)} at all)`);
    return v;
  }

  boolean(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, `is ${this.describe(v)}, expected true or false`);
    return v;
  }

  number(v: unknown, path: string, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `is ${this.describe(v)}, expected a finite number`);
    if (v < min || v > max) this.fail(path, `is ${v}, expected a number from ${min} to ${max}`);
    return v;
  }

  integer(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      this.fail(path, `is ${this.describe(v)}, expected an integer ${range}`);
    }
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      this.fail(path, `is ${this.describe(v)}, expected one of ${options.map((o) => `'${o}'`).join(', ')}`);
    }
    return v as T;
  }

  close(actual: number, expected: number, path: string, what: string): void {
    if (Math.abs(actual - expected) > TOLERANCE * Math.max(1, Math.abs(expected))) {
      this.fail(path, `is ${actual}, expected ${expected} from ${what}`);
    }
  }
}
