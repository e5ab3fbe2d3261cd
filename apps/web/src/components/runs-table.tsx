import Link from 'next/link';
import type { RunSummaryView } from '@manifold/services';
import { formatDuration, elapsedMs } from '@/format/duration';
import { LocalTime } from './local-time';
import { StatusBadge } from './status-badge';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from './ui/table';

/** Runs newest first: status, workflow, when, how long. Each row links to the run page. */
export function RunsTable({ runs, showWorkflow = true }: { runs: RunSummaryView[]; showWorkflow?: boolean }) {
  return (
    <Table data-testid="runs-table">
      <TableHead>
        <tr>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Run</TableHeaderCell>
          {showWorkflow && <TableHeaderCell>Workflow</TableHeaderCell>}
          <TableHeaderCell>Created</TableHeaderCell>
          <TableHeaderCell className="text-right">Duration</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {runs.map((run) => {
          const duration = elapsedMs(run.startedAt, run.finishedAt);
          return (
            <TableRow key={run.id} className="relative" data-testid="run-row" data-run-id={run.id} data-status={run.status}>
              <TableCell>
                <StatusBadge status={run.status} data-testid="run-row-status" />
                {run.waitingUntil && (
                  <span className="ml-2 text-xs text-indigo-700" data-testid="run-row-waiting" data-wake-at={run.waitingUntil}>
                    waits until <LocalTime iso={run.waitingUntil} withSeconds />
                  </span>
                )}
              </TableCell>
              <TableCell>
                <Link
                  href={`/runs/${run.id}`}
                  className="font-mono text-xs text-zinc-900 after:absolute after:inset-0 hover:text-indigo-600"
                  data-testid="run-link"
                >
                  {run.id.slice(-12)}
                </Link>
              </TableCell>
              {showWorkflow && (
                <TableCell>
                  <span className="font-medium text-zinc-900">{run.workflowName}</span>
                  <span className="ml-2 font-mono text-xs text-zinc-400">
                    {run.workflow} v{run.workflowVersion}
                  </span>
                </TableCell>
              )}
              <TableCell className="text-zinc-500">
                <LocalTime iso={run.createdAt} withSeconds />
              </TableCell>
              <TableCell className="text-right text-zinc-600 tabular-nums">
                {duration === null ? '—' : formatDuration(duration)}
                {!run.finishedAt && run.startedAt && <span className="text-zinc-400"> …</span>}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
