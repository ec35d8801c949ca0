// The storage layer's public surface. Server-only: everything here touches node:fs or node:crypto.
export type { Access, BodyStream, PutOptions, Storage, StoredObject, UrlOptions } from './types';
export { assertValidKey, META_SUFFIX, videoKeys, type VideoKeys } from './keys';
export {
  assertSigningSecret,
  fileRoutePath,
  signPath,
  verifySignature,
  type SignatureCheck,
  type SignOptions,
  type VerifyOptions,
} from './signing';
export { isLocalStorage, LocalStorage, type LocalStorageOptions } from './local';
export type { ByteRange, OpenedObject } from './local-open';
export { parseRange, type RangeResult } from './range';
