/**
 * A size in bytes as people read it, in powers of 1000: "512 bytes", "33 kB", "418 MB", "3.6 GB", "1.3 TB". Used in
 * messages that refuse something too large, so the user sees what it would have cost.
 */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 999.5 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 || v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
