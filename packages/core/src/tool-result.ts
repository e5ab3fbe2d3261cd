// What a tool step yields to later steps: the MCP result without transport detail, plus the text joined.

export interface ToolContent {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface ToolOutput {
  content: ToolContent[];
  structuredContent?: Record<string, unknown>;
  /** All text content joined with newlines: the common case, easy to use in expressions. */
  text: string;
}

export function toToolOutput(result: { content?: unknown; structuredContent?: unknown }): ToolOutput {
  const content = Array.isArray(result.content) ? (result.content as ToolContent[]) : [];
  const text = content
    .filter((c) => c.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n');
  return {
    content,
    ...(result.structuredContent && typeof result.structuredContent === 'object'
      ? { structuredContent: result.structuredContent as Record<string, unknown> }
      : {}),
    text,
  };
}
