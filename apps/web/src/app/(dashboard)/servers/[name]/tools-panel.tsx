'use client';
// The installation's tools: the stored snapshot on load, replaced by a live tools/list on request.
import { useActionState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { RefreshIcon } from '@/components/icons';
import { LocalTime } from '@/components/local-time';
import { Spinner } from '@/components/submit-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { formatDuration } from '@/format/duration';
import { listToolsAction } from '../actions';
import { ToolList } from '../tool-list';
import type { ToolInfo, ToolsState } from '../tools';

export function ToolsPanel({ name, snapshot, snapshotAt }: { name: string; snapshot: ToolInfo[] | null; snapshotAt: string | null }) {
  const [state, action, isPending] = useActionState(listToolsAction.bind(null, name), { status: 'snapshot' } as ToolsState);
  const live = state.status === 'live' ? state : null;
  const tools = live ? live.tools : snapshot;

  return (
    <Card data-testid="tools-panel">
      <CardHeader>
        <div>
          <CardTitle>Tools</CardTitle>
          <CardDescription>
            {live ? (
              <span data-testid="tools-source" data-source="live">
                Live result · {live.tools.length} tools in {formatDuration(live.latencyMs)}
              </span>
            ) : snapshotAt ? (
              <span data-testid="tools-source" data-source="snapshot">
                Snapshot from <LocalTime iso={snapshotAt} withSeconds />
              </span>
            ) : (
              <span data-testid="tools-source" data-source="none">
                Never listed. List them to check the server works and to validate workflows against its tools.
              </span>
            )}
          </CardDescription>
        </div>
        <form action={action}>
          <Button
            type="submit"
            variant="accent"
            size="sm"
            disabled={isPending}
            aria-busy={isPending || undefined}
            data-testid="list-tools-button"
          >
            {isPending ? <Spinner /> : <RefreshIcon className="size-3.5" />}
            {isPending ? 'Listing tools…' : 'List tools (live)'}
          </Button>
        </form>
      </CardHeader>
      {state.status === 'error' && (
        <div
          role="alert"
          className="mx-5 mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800"
          data-testid="list-tools-error"
        >
          {state.message}
        </div>
      )}
      {live && <div className="sr-only" aria-live="polite">{`${live.tools.length} tools listed`}</div>}
      {tools && tools.length > 0 ? (
        <ToolList tools={tools} data-testid={live ? 'live-tools' : 'tools-snapshot'} />
      ) : (
        <EmptyState title={tools ? 'This server reported no tools' : 'No tools listed yet'} data-testid="tools-empty">
          {!tools && (
            <>
              Press <Badge tone="neutral">List tools (live)</Badge> to start the server on a worker and ask it.
            </>
          )}
        </EmptyState>
      )}
    </Card>
  );
}
