export { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
export { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-keys';
export { canonicalJson, sha256Hex } from './hashing';
export { toolDefinitionHash, toolSetHash } from './tool-hash';
