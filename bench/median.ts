/** The middle value of `values` (the upper of the two middles for an even count), as the bench's figures quote it. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
