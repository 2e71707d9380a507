export { makeGrid, type GridOptions } from './make-grid.js';
export { imagePng, saveImage } from './save-image.js';
