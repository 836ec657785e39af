export type { RemoteOptions } from './remoteHttp.js';
export { RemoteStoreAccess } from './remoteStoreAccess.js';
