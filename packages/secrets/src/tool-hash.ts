// Pins a tool definition: the SHA-256 of the canonical JSON of what a model reads (name, description, input
// schema). Title and annotations are display hints and do not count as a change.
import { canonicalJson, sha256Hex } from './hashing';

export function toolDefinitionHash(tool: { name: string; description?: string; inputSchema: unknown }): string {
  return sha256Hex(canonicalJson({ name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema ?? {} }));
}

/** One hash for a whole tool set, independent of listing order. */
export function toolSetHash(tools: ReadonlyArray<{ name: string; hash: string }>): string {
  return sha256Hex(
    tools
      .map((t) => `${t.name}:${t.hash}`)
      .sort()
      .join('\n'),
  );
}
