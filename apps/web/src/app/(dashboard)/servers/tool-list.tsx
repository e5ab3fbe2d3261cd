import { describeSchema } from '@/format/schema-properties';
import { cn } from '@/components/ui/cn';
import type { ToolInfo } from './tools';

/** Each tool with its description and a readable table of its input schema. */
export function ToolList({ tools, ...props }: { tools: ToolInfo[]; 'data-testid'?: string }) {
  return (
    <ul className="divide-y divide-zinc-100" {...props}>
      {tools.map((tool) => (
        <li key={tool.name} className="px-5 py-4" data-testid="tool" data-tool-name={tool.name}>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <code className="font-mono text-sm font-semibold text-zinc-900" data-testid="tool-name">
              {tool.name}
            </code>
            {tool.title && tool.title !== tool.name && <span className="text-sm text-zinc-500">{tool.title}</span>}
          </div>
          {tool.description && <p className="mt-1 text-sm whitespace-pre-line text-zinc-600">{tool.description}</p>}
          <SchemaTable schema={tool.inputSchema} />
        </li>
      ))}
    </ul>
  );
}

function SchemaTable({ schema }: { schema: Record<string, unknown> }) {
  const rows = describeSchema(schema);
  if (rows.length === 0) return <p className="mt-2 text-xs text-zinc-400">No parameters.</p>;
  return (
    <div className="mt-3 overflow-x-auto rounded-lg border border-zinc-200" data-testid="tool-schema">
      <table className="w-full text-left text-xs">
        <thead className="bg-zinc-50 text-zinc-500">
          <tr>
            <th className="px-3 py-1.5 font-medium">Parameter</th>
            <th className="px-3 py-1.5 font-medium">Type</th>
            <th className="px-3 py-1.5 font-medium">Description</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={row.path} data-testid="tool-parameter" data-required={row.required || undefined}>
              <td className="px-3 py-1.5 align-top whitespace-nowrap" style={{ paddingLeft: `${0.75 + row.depth * 1}rem` }}>
                <code className={cn('font-mono', row.required ? 'font-semibold text-zinc-900' : 'text-zinc-700')}>
                  {row.path.split('.').at(-1)}
                </code>
                {row.required && (
                  <span className="ml-1 text-red-600" title="required">
                    *<span className="sr-only"> required</span>
                  </span>
                )}
              </td>
              <td className="px-3 py-1.5 align-top font-mono whitespace-nowrap text-indigo-700">{row.type}</td>
              <td className="px-3 py-1.5 align-top [overflow-wrap:anywhere] text-zinc-600">
                {row.description}
                {row.enumValues && <span className="ml-1 text-zinc-400">One of {row.enumValues.join(', ')}.</span>}
                {row.defaultValue !== undefined && <span className="ml-1 text-zinc-400">Default {row.defaultValue}.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
