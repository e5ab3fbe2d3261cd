export { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
export { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-keys';
export { canonicalJson, sha256Hex } from './hashing';
export { keyringSummary, KeyringError, parseKeyring, type Keyring } from './keyring';
export {
  createKeyringWrapper,
  DecryptionError,
  fingerprint,
  newDataKey,
  open,
  openSecret,
  seal,
  sealSecret,
  secretAssociatedData,
  type KeyWrapper,
  type Sealed,
  type WrappedKey,
} from './envelope';
export { createRedactor, REDACTED, SecretValueRegistry, type Redactor } from './redaction';
export { createPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID } from './payload-codec';
export { keyringFromEnvironment, requireKeyring } from './keyring-config';
export { toolDefinitionHash, toolSetHash } from './tool-hash';
