export type { CliIo } from './cliIo.js';
export type { Command } from './command.js';
export { EXIT } from './exitCodes.js';
export { COMMANDS, main } from './main.js';
export { UsageError } from './usageError.js';
