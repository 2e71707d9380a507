/** How a whole file is read (readRegularFile). Its own module, so that the data layer's types need no Node.js types. */
export interface ReadOptions {
  /**
   * Read a file (not a pipe) straight into a `SharedArrayBuffer`, for bytes that worker threads will share: no
   * second copy, as copying a Buffer into shared memory afterwards would make.
   */
  readonly shared?: boolean;
}
