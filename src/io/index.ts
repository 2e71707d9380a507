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
export { MODEL_FORMAT_VERSION, ModelFileError, readModelFile, writeModelFile, type ModelFileContents, type ModelInfo, type ModelKind } from './model-file.js';
export { formatArchitecture, parseArchitecture, type LayerSpec } from './architecture.js';
