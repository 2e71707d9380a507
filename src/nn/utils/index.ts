export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clip-grad.js';
