// Tool definition pinning on the server page: the pending change as a diff (with the approve button) and
// the snapshot history.
import { diffLines, diffWords } from 'diff';
import type { ToolChange } from '@manifold/core';
import type { ToolSnapshotView } from '@manifold/services';
import { DiffText } from '@/components/diff-view';
import { LocalTime } from '@/components/local-time';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { ApproveToolsButton } from './approve-tools-button';

const STATUS_TONE: Record<ToolSnapshotView['status'], BadgeTone> = { approved: 'green', pending: 'amber', superseded: 'neutral' };

/** Makes invisible characters visible: they are a tool-poisoning marker a reviewer must see. */
const revealInvisible = (text: string) =>
  text.replace(
    /[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g,
    (c) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`,
  );

function ChangeView({ change }: { change: ToolChange }) {
  const before = change.before ?? { description: '', inputSchema: {} };
  const after = change.after ?? { description: '', inputSchema: {} };
  return (
    <li className="space-y-2" data-testid="tool-change" data-tool={change.tool} data-kind={change.kind}>
      <div className="flex items-center gap-2">
        <code className="font-mono text-sm font-medium">{change.tool}</code>
        <Badge tone={change.kind === 'removed' ? 'red' : change.kind === 'added' ? 'blue' : 'amber'}>{change.kind}</Badge>
        {change.fields.length > 0 && <span className="text-xs text-zinc-500">{change.fields.join(', ')}</span>}
      </div>
      {(change.kind !== 'changed' || change.fields.includes('description')) && (
        <DiffText parts={diffWords(before.description, after.description)} reveal={revealInvisible} />
      )}
      {(change.kind !== 'changed' || change.fields.includes('inputSchema')) && (
        <DiffText
          parts={diffLines(JSON.stringify(before.inputSchema, null, 2), JSON.stringify(after.inputSchema, null, 2))}
          reveal={revealInvisible}
        />
      )}
    </li>
  );
}

export function ToolChangesPanel({
  name,
  pending,
  snapshots,
}: {
  name: string;
  pending: ToolSnapshotView | null;
  snapshots: ToolSnapshotView[];
}) {
  return (
    <Card data-testid="tool-pinning-panel">
      <CardHeader>
        <div>
          <CardTitle>Tool definitions</CardTitle>
          <CardDescription>
            {pending && !snapshots.some((s) => s.status === 'approved') ? (
              <span className="text-amber-800" data-testid="tools-held">
                This installation&apos;s tools were never approved: its calls are held until a team owner or admin reviews them and
                approves.
              </span>
            ) : pending ? (
              <span className="text-amber-800" data-testid="tools-held">
                The server&apos;s tools changed since they were approved. Calls of a changed tool are held, in runs already going
                too, until a team owner or admin approves.
              </span>
            ) : snapshots.length ? (
              'Pinned: every new session and every listing is compared with the approved definitions.'
            ) : (
              'Pinned on the first session or listing: approved when it matches this team’s approved snapshot of the same server, or when an owner or admin installed it; otherwise held for approval.'
            )}
          </CardDescription>
        </div>
        {pending && <ApproveToolsButton name={name} snapshotId={pending.id} />}
      </CardHeader>
      {pending && (
        <CardContent>
          <ul className="space-y-4" data-testid="tool-changes">
            {pending.changes.map((change) => (
              <ChangeView key={change.tool} change={change} />
            ))}
          </ul>
        </CardContent>
      )}
      {snapshots.length > 0 && (
        <Table data-testid="tool-snapshot-history">
          <TableHead>
            <tr>
              <TableHeaderCell>Listed</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Tools</TableHeaderCell>
              <TableHeaderCell>Changes</TableHeaderCell>
              <TableHeaderCell>Approved by</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {snapshots.map((s) => (
              <TableRow key={s.id} data-testid="tool-snapshot-row" data-status={s.status}>
                <TableCell>
                  <LocalTime iso={s.createdAt} withSeconds />
                </TableCell>
                <TableCell>
                  <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge>
                </TableCell>
                <TableCell>{s.toolCount}</TableCell>
                <TableCell className="font-mono text-xs">{s.changes.map((c) => `${c.kind} ${c.tool}`).join(', ') || '—'}</TableCell>
                <TableCell className="text-xs">
                  {s.approvedBy === 'system:first-listing' ? 'first listing' : (s.approvedBy ?? '—')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
