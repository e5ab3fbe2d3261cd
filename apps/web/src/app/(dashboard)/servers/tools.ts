// The tool list shape the servers pages show, read defensively from a stored snapshot or a live listing.
import { z } from 'zod';

const toolSchema = z.object({
  name: z.string(),
  title: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  inputSchema: z.record(z.string(), z.unknown()).catch({}),
});

export type ToolInfo = z.infer<typeof toolSchema>;

export function parseTools(value: unknown): ToolInfo[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = toolSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

export type ToolsState =
  | { status: 'snapshot' }
  | { status: 'live'; tools: ToolInfo[]; latencyMs: number; listedAt: string }
  | { status: 'error'; message: string };
