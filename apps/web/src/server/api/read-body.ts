// Reads a request body as JSON, counting bytes as they arrive: a body over the limit is refused with 413 as
// soon as its Content-Length or its streamed size says so, never after being buffered whole.
import { AppError } from '@manifold/core';

export const MAX_BODY_BYTES = 1_000_000;

const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `The body is larger than ${limit} bytes; send at most ${limit} bytes of JSON.`);

export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send the body as JSON with `Content-Type: application/json`.');
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const text = await readLimited(request, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('invalid_json', `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  // fatal: a body that is not UTF-8 is malformed JSON, not text with replacement characters.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('invalid_json', 'The body is not valid UTF-8.');
  }
}
