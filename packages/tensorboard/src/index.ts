// @runlog/tensorboard public surface: values first, then types.
export { crc32c, maskedCrc32c } from './format/crc32c.js';
