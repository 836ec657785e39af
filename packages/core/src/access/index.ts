export type { FollowEvent, FollowOptions } from './followStream.js';
export { followStream, followStreams } from './followStream.js';
export type {
  HistoryOutlineData,
  HistoryRowsQuery,
  KeyStats,
  OutlineBlock,
  OutlineGap,
} from './historyOutlineData.js';
export type {
  DeleteRunOptions,
  PendingRunOptions,
  ProjectInfo,
  RunData,
  RunListing,
  RunPatch,
  RunQuery,
  RunRef,
  SkippedRun,
} from './runData.js';
export type { ArtifactVersionData, StoreAccess } from './storeAccess.js';
export type { FileChunk, FileReadOptions, StoreFile } from './storeFile.js';
export type {
  RowBytesChunk,
  RowChunk,
  RowStream,
  StreamChunk,
  StreamName,
  StreamReadOptions,
  TextChunk,
  TextStream,
} from './streamChunk.js';
export { ROW_STREAMS, STREAM_NAMES } from './streamChunk.js';
export { readAllRows, readAllText } from './wholeStream.js';
