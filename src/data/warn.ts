// The one warnOnce lives below the tiers (src/warn.ts), where ops and nn reach it too.
export { warnOnce } from '../warn.js';
