// A Temporal PayloadCodec: every payload Manifold stores in Temporal (run inputs, outputs, step results) is
// sealed with AES-256-GCM under a key derived from the master keyring, so Temporal's database holds no clear text.
import { hkdfSync } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto'; // CommonJS: named exports are not visible to Node's ESM loader

import { open, seal } from './envelope';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ASSOCIATED_DATA = 'manifold:temporal-payload';
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** The codec key is derived per master key (HKDF), so the master key itself never encrypts payloads. */
function codecKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'manifold:temporal-payload-codec', 32));
}

export function createPayloadCodec(keyring: Keyring): PayloadCodec {
  const keys = new Map<string, Buffer>();
  const keyFor = (id: string): Buffer => {
    let key = keys.get(id);
    if (!key) {
      const master = keyring.key(id);
      if (!master) throw new Error(`Temporal payload was encrypted with master key "${id}", which is not in MANIFOLD_MASTER_KEYS.`);
      keys.set(id, (key = codecKey(master)));
    }
    return key;
  };
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      const keyId = keyring.currentId;
      return payloads.map((payload) => {
        const sealed = seal(keyFor(keyId), Buffer.from(PayloadMessage.encode(payload).finish()), ASSOCIATED_DATA);
        return {
          metadata: { [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: utf8.encode(keyId) },
          data: Buffer.concat([sealed.nonce, sealed.tag, sealed.ciphertext]),
        };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
        if (!encoding || fromUtf8.decode(encoding) !== ENCRYPTED_ENCODING) return payload; // written before encryption was on
        const keyIdBytes = payload.metadata?.[METADATA_KEY_ID];
        if (!keyIdBytes || !payload.data) throw new Error('Encrypted Temporal payload without key id or data.');
        const data = Buffer.from(payload.data);
        const clear = open(
          keyFor(fromUtf8.decode(keyIdBytes)),
          {
            nonce: data.subarray(0, NONCE_BYTES),
            tag: data.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES),
            ciphertext: data.subarray(NONCE_BYTES + TAG_BYTES),
          },
          ASSOCIATED_DATA,
        );
        return PayloadMessage.decode(clear) as Payload;
      });
    },
  };
}
