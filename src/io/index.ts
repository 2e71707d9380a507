export { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
export { IoError, SafetensorsError } from './errors.js';
export {
  MAX_HEADER_BYTES,
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsContents,
  type SafetensorsInput,
  type SafetensorsTensor,
} from './safetensors.js';
export { loadFile, loadFileAsync, saveFile, saveFileAsync } from './safetensors-file.js';
