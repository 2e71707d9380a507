// Shared by the engine's error tests.
import assert from 'node:assert/strict';

/** Calls `fn` through an untyped door, as JavaScript callers (or `as never` casts) can. */
export const loose = <T>(v: unknown): T => v as T;

/** Asserts `fn` throws a `type` whose message contains every fragment. */
export function throwsWith(fn: () => unknown, type: new (...a: never[]) => Error, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message "${e.message}" should contain "${f}"`);
    return true;
  });
}
