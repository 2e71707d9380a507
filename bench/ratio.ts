// How the bench tables show a ratio (PyTorch µs ÷ Kindling µs): cut, not rounded, so that 0.996× shows as 0.99×, never
// as a 1.00× that missed; two decimals below 10× (0.98× never shows as 1.0×), one from 10× up.

/** A ratio as "1.15×" or "11.5×", cut to its last digit. */
export function cutRatio(x: number): string {
  return `${(x < 10 ? Math.floor(x * 100) / 100 : Math.floor(x * 10) / 10).toFixed(x < 10 ? 2 : 1)}×`;
}

/** The lowest and highest of the rounds' ratios, as "1.10–1.21×"; "" for fewer than two. */
export function ratioRange(ratios: readonly number[]): string {
  return ratios.length < 2 ? '' : `${cutRatio(Math.min(...ratios)).slice(0, -1)}–${cutRatio(Math.max(...ratios))}`;
}
