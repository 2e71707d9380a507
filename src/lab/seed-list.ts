// A list of seeds as the lab reads it (`--seeds 0,1,2`, the Train page's Seeds field): pure, so that the browser's
// form checks it with the same rules and words as the CLI and the server.

/** Seeds are below 2^32: PyTorch's generator (and so Kindling's) keeps a seed's low 32 bits, so 2^32 would repeat 0. */
export const SEED_LIMIT = 2 ** 32;

/** The items of a comma-separated list, or why it cannot be read (an empty item: `0,,1`, `0,1,`). */
export function listItemsOrProblem(value: string, what: string): string[] | { problem: string } {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '') && items.some((s) => s !== '')) return { problem: `"${value}" has an empty item; give ${what} separated by single commas.` };
  return items.filter((s) => s !== '');
}

/** The seeds `value` lists, or why it cannot be read, as a sentence. */
export function parseSeeds(value: string): number[] | { problem: string } {
  const parts = listItemsOrProblem(value, 'seeds');
  if (!Array.isArray(parts)) return parts;
  if (parts.length === 0) return { problem: 'expected a comma-separated list of seeds, e.g. 0,1,2.' };
  const seeds: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!/^\d+$/.test(p) || !Number.isSafeInteger(n)) return { problem: `seed "${p}" is not a non-negative integer.` };
    if (n >= SEED_LIMIT) {
      return { problem: `seed ${p} is not below 2^32 (${SEED_LIMIT}): the generator keeps a seed's low 32 bits, as PyTorch's does, so it would repeat seed ${n % SEED_LIMIT}.` };
    }
    seeds.push(n);
  }
  if (new Set(seeds).size !== seeds.length) return { problem: `a seed is listed twice in "${value}".` };
  return seeds;
}
