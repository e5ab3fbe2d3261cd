// The revisions of a team catalog entry: each argv (or URL) it has run, when and by whom, newest first, with
// the one this installation runs marked.
import { ArgvChips } from '@/components/argv-chips';
import { LocalTime } from '@/components/local-time';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

export interface EntryRevision {
  revision: number;
  version: string;
  command: string[];
  url: string | null;
  actorType: string;
  actorId: string | null;
  createdAt: Date;
}

export function EntryHistoryCard({ revisions, running }: { revisions: EntryRevision[]; running: number | null }) {
  return (
    <Card className="h-fit" data-testid="entry-history">
      <CardHeader>
        <div>
          <CardTitle>Entry history</CardTitle>
          <CardDescription>Every change of this team entry’s command, URL or declarations is a new revision.</CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        <ol className="space-y-3 text-sm">
          {revisions.map((r) => (
            <li key={r.revision} className="space-y-1" data-testid="entry-revision" data-revision={r.revision}>
              <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
                <span className="font-medium text-zinc-900">r{r.revision}</span>
                <span className="font-mono">v{r.version}</span>
                <LocalTime iso={r.createdAt.toISOString()} />
                <span>by {r.actorType === 'system' ? 'the system' : `${r.actorType} ${r.actorId?.slice(0, 8) ?? ''}`}</span>
                {r.revision === running && <Badge tone="green">runs here</Badge>}
              </div>
              {r.url === null ? (
                <ArgvChips argv={r.command} testId={`entry-revision-argv-${r.revision}`} />
              ) : (
                <code className="font-mono text-xs break-all">{r.url}</code>
              )}
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
