// The store-access contract against the local folder store (FileStoreAccess). A server runs the same suite with a
// factory that syncs the folder into it and returns its own StoreAccess.
import { FileStoreAccess } from '../../src/index.js';
import { describeStoreAccessContract } from './storeAccessContract.js';

describeStoreAccessContract('FileStoreAccess (local folder)', (store) => new FileStoreAccess(store.dir));
