import type { Metadata } from 'next';
import Link from 'next/link';
import { DIMENSIONS, percentile } from '@manifold/core';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';
import { TierBadge } from '../../tier-badge';
import { LatencyChart } from './latency-chart';

export const metadata: Metadata = { title: 'Certification report · Manifold' };

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { acting } = await requireSession();
  const report = await orNotFound(services().certification.report(acting, id));
  const history = (await services().certification.history(acting, report.server)).items;
  const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} ms`);
  const p50 = percentile(report.latency.probeMs, 50);
  const p95 = percentile(report.latency.probeMs, 95);
  const p99 = percentile(report.latency.probeMs, 99);

  return (
    <>
      <PageHeader
        back={{ href: `/catalog/${encodeURIComponent(report.server)}`, label: report.server }}
        title={
          <span className="inline-flex items-center gap-3">
            Certification report <TierBadge tier={report.tier} />
          </span>
        }
        description={
          <>
            {report.server} {report.serverVersion} · evaluator {report.evaluatorVersion} · {report.trigger} ·{' '}
            <span data-testid="report-scope">
              {report.scope === 'system' ? 'system evaluation' : 'your team’s private report (does not set the public tier)'}
            </span>{' '}
            · <LocalTime iso={report.finishedAt} withSeconds />
          </>
        }
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="report-scores">
        {DIMENSIONS.map((d) => (
          <Card key={d} className="p-4" data-testid={`score-${d}`}>
            <p className="text-xs text-zinc-500 capitalize">{d}</p>
            <p className="mt-1 text-3xl font-semibold tabular-nums text-zinc-900">{report.scores[d]}</p>
          </Card>
        ))}
      </div>
      {report.reasons.length > 0 && (
        <Card className="mb-6">
          <CardHeader>
            <CardTitle>Why not higher</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="list-disc space-y-1 pl-5 text-sm text-zinc-700" data-testid="report-reasons">
              {report.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </CardContent>
        </Card>
      )}
      <Card className="mb-6">
        <CardHeader>
          <div>
            <CardTitle>Latency</CardTitle>
            <CardDescription>
              {report.latency.probeMethod}: p50 {ms(p50)} · p95 {ms(p95)} · p99 {ms(p99)} · initialize p50{' '}
              {ms(percentile(report.latency.initializeMs, 50))}
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <LatencyChart samples={report.latency.probeMs} p50={p50} p95={p95} />
        </CardContent>
      </Card>
      {report.sandbox && (
        <Card className="mb-6" data-testid="report-sandbox">
          <CardHeader>
            <div>
              <CardTitle>Measured in</CardTitle>
              <CardDescription>
                {report.sandbox.sandboxed
                  ? `the stdio sandbox: its own uid, namespaces and folder; network ${
                      report.sandbox.network.mode === 'none' ? 'none' : `only to ${report.sandbox.network.targets.join(', ')}`
                    }${
                      report.sandbox.limits
                        ? `; ${report.sandbox.limits.memoryMiB} MiB memory, ${report.sandbox.limits.processes} processes, ${report.sandbox.limits.openFiles} open files`
                        : ''
                    }.`
                  : 'no sandbox (the worker ran with MANIFOLD_SANDBOX=off or without bubblewrap).'}
              </CardDescription>
            </div>
          </CardHeader>
        </Card>
      )}
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Evidence</CardTitle>
        </CardHeader>
        <Table data-testid="report-checks">
          <TableHead>
            <tr>
              <TableHeaderCell>Dimension</TableHeaderCell>
              <TableHeaderCell>Check</TableHeaderCell>
              <TableHeaderCell>Result</TableHeaderCell>
              <TableHeaderCell>Evidence</TableHeaderCell>
            </tr>
          </TableHead>
          <TableBody>
            {report.checks.map((c) => (
              <TableRow key={c.id} data-testid="report-check" data-check={c.id} data-passed={c.passed}>
                <TableCell className="text-xs capitalize">{c.dimension}</TableCell>
                <TableCell className="font-mono text-xs">{c.id}</TableCell>
                <TableCell>
                  <Badge tone={c.skipped ? 'neutral' : c.passed ? 'green' : 'red'}>{c.skipped ? 'n/a' : c.passed ? 'pass' : 'fail'}</Badge>
                </TableCell>
                <TableCell className="text-xs break-words whitespace-normal">{c.detail}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Tier history</CardTitle>
        </CardHeader>
        <Table data-testid="tier-history">
          <TableBody>
            {history.map((h) => (
              <TableRow key={h.id}>
                <TableCell>
                  <Link
                    href={`/catalog/reports/${h.id}`}
                    className={h.id === report.id ? 'font-semibold' : 'text-indigo-700 hover:underline'}
                  >
                    <LocalTime iso={h.finishedAt} />
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-xs">{h.serverVersion}</TableCell>
                <TableCell>
                  <TierBadge tier={h.tier} />
                </TableCell>
                <TableCell className="text-xs">{h.trigger}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </>
  );
}
