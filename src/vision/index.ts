export { makeGrid, type GridOptions } from './make-grid.js';
export { imagePng, saveImage, type ImageOptions } from './save-image.js';
