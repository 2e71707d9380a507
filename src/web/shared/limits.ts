/**
 * Bounds that keep one request from occupying the server for days; the CLI has no such limits. The server refuses
 * what exceeds them (job-spec.ts), and the Train page checks them before sending (the same numbers).
 */
export const LIMITS = { epochs: 100, seeds: 10, runs: 64, hidden: 4096, batchSize: 60000 } as const;
