/**
 * True when a and b are different views of one buffer whose elements overlap, where an elementwise result depends
 * on the order the elements are done in (the reference loop's order then decides).
 */
export function partlyOverlapping(a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer || (a.byteOffset === b.byteOffset && a.length === b.length)) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
