// The team's installed servers and their tools, beside the workflow editor: what a tool step may name.
import Link from 'next/link';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { parseTools } from '../servers/tools';

export function InstalledServersCard({ installations }: { installations: Array<{ id: string; name: string; toolsSnapshot: unknown }> }) {
  return (
    <Card data-testid="available-servers">
      <CardHeader>
        <CardTitle>Installed servers</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
        {installations.length === 0 && (
          <p className="text-zinc-500">
            None yet.{' '}
            <Link href="/servers" className="text-indigo-600 hover:underline">
              Add a server
            </Link>{' '}
            first.
          </p>
        )}
        {installations.map((i) => {
          const tools = i.toolsSnapshot === null ? null : parseTools(i.toolsSnapshot);
          return (
            <div key={i.id}>
              <Link href={`/servers/${encodeURIComponent(i.name)}`} className="font-mono font-medium text-zinc-900 hover:text-indigo-600">
                {i.name}
              </Link>
              <p className="mt-0.5 text-xs leading-relaxed text-zinc-500">
                {tools ? tools.map((t) => t.name).join(', ') || 'no tools' : 'tools not listed yet'}
              </p>
            </div>
          );
        })}
      </CardContent>
    </Card>
  );
}
