// The workflow's versions (who saved each, when, how many runs it started) and a line diff between any two;
// the pair lives in the URL (?from=1&to=3) so a comparison can be shared.
import Link from 'next/link';
import { LineDiffView } from '@/components/diff-view';
import { LocalTime } from '@/components/local-time';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { lineDiff, prettyDefinition } from '@/format/version-diff';

export interface VersionRow {
  version: number;
  createdAt: Date;
  createdBy: { type: 'user' | 'apiKey'; label: string } | null;
  runCount: number;
  /** The definition in the format's key order, as the editor shows it. */
  definition: unknown;
}

export function VersionsPanel({
  slug,
  versions,
  currentVersion,
  comparison,
}: {
  slug: string;
  versions: VersionRow[];
  currentVersion: number;
  comparison: { from: number; to: number } | null;
}) {
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  const before = comparison && byNumber.get(comparison.from);
  const after = comparison && byNumber.get(comparison.to);
  const diff = before && after ? lineDiff(prettyDefinition(before.definition), prettyDefinition(after.definition)) : null;
  const compareHref = (from: number, to: number) => `/workflows/${encodeURIComponent(slug)}?from=${from}&to=${to}#versions`;

  return (
    <Card id="versions" data-testid="workflow-versions">
      <CardHeader>
        <div>
          <CardTitle>Versions</CardTitle>
          <CardDescription>Each save is a new immutable version; a run keeps the version it started with.</CardDescription>
        </div>
      </CardHeader>
      <Table>
        <TableHead>
          <tr>
            <TableHeaderCell>Version</TableHeaderCell>
            <TableHeaderCell>Saved by</TableHeaderCell>
            <TableHeaderCell>Saved</TableHeaderCell>
            <TableHeaderCell className="text-right">Runs</TableHeaderCell>
            <TableHeaderCell className="text-right">
              <span className="sr-only">Compare</span>
            </TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {versions.map((v) => (
            <TableRow key={v.version} data-testid="version-row" data-version={v.version}>
              <TableCell className="tabular-nums">
                <span className="font-medium text-zinc-900">v{v.version}</span>
                {v.version === currentVersion && (
                  <Badge tone="green" className="ml-2" data-testid="version-current">
                    current
                  </Badge>
                )}
              </TableCell>
              <TableCell className="text-zinc-600">
                {v.createdBy ? (
                  <>
                    {v.createdBy.label}
                    {v.createdBy.type === 'apiKey' && <span className="text-zinc-400"> (API key)</span>}
                  </>
                ) : (
                  <span className="text-zinc-400">system</span>
                )}
              </TableCell>
              <TableCell className="whitespace-nowrap text-zinc-500">
                <LocalTime iso={v.createdAt.toISOString()} withSeconds />
              </TableCell>
              <TableCell className="text-right tabular-nums" data-testid="version-runs">
                {v.runCount}
              </TableCell>
              <TableCell className="text-right">
                {v.version !== currentVersion && (
                  <Link
                    href={compareHref(v.version, currentVersion)}
                    className="text-xs text-indigo-600 hover:underline"
                    data-testid="compare-with-current"
                  >
                    compare with current
                  </Link>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {comparison && (
        <CardContent className="space-y-3 border-t border-zinc-100">
          {/* A plain GET form: the pair goes into the URL, no script needed. */}
          <form
            method="get"
            action={`/workflows/${encodeURIComponent(slug)}#versions`}
            className="flex flex-wrap items-end gap-3 text-sm"
            data-testid="compare-form"
          >
            <VersionSelect name="from" label="Compare" versions={versions} value={comparison.from} />
            <VersionSelect name="to" label="with" versions={versions} value={comparison.to} />
            <button type="submit" className={buttonClasses({ variant: 'secondary', size: 'sm' })} data-testid="compare-submit">
              Compare
            </button>
          </form>
          {diff && (
            <>
              <p className="text-xs text-zinc-500" data-testid="diff-summary">
                v{comparison.from} → v{comparison.to}: <span className="text-emerald-700">+{diff.added}</span>{' '}
                <span className="text-red-700">−{diff.removed}</span> lines
              </p>
              {diff.added + diff.removed === 0 ? (
                <p className="text-sm text-zinc-500">The two definitions are identical.</p>
              ) : (
                <LineDiffView diff={diff} className="max-h-[32rem]" data-testid="version-diff" />
              )}
            </>
          )}
        </CardContent>
      )}
    </Card>
  );
}

function VersionSelect({ name, label, versions, value }: { name: string; label: string; versions: VersionRow[]; value: number }) {
  return (
    <label className="flex items-center gap-2">
      <span className="text-zinc-600">{label}</span>
      <select
        name={name}
        defaultValue={value}
        className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm tabular-nums"
        data-testid={`compare-${name}`}
      >
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );
}
