/** Counts as people read them, for messages at every tier (kept low so the optimizer's messages may use them too). */

/** An integer with thousands separators, independent of the machine's locale. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A count with its noun, singular for one: `1 record`, `2 records`, `1,000 steps`.
 * @example formatCountOf(1, 'record') // '1 record'
 */
export function formatCountOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : plural}`;
}

/**
 * A part of a whole, the noun agreeing with the part (its verb is the caller's: singular for one):
 * `0 runs of 1`, `1 run of 3`, `2 runs of 3`, never "0 of 1 run have".
 * @example formatPartOf(1, 3, 'run') // '1 run of 3'
 */
export function formatPartOf(part: number, whole: number, noun: string, plural = `${noun}s`): string {
  return `${formatCountOf(part, noun, plural)} of ${formatCount(whole)}`;
}
