'use client';
// The run page. It polls /app-api/runs/<id> every second while the run is queued or running, and stops
// once the run has ended.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { RunView } from '@manifold/services';
import { JsonView } from '@/components/json-view';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { StatusBadge } from '@/components/status-badge';
import { Button } from '@/components/ui/button';
import { IdempotencyKeyInput } from '@/components/idempotency-key-input';
import { cancelRunAction, retryRunAction } from '../actions';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { elapsedMs, formatCountdown, formatDuration } from '@/format/duration';
import { RunTimeline } from './run-timeline';
import { StoredValueView } from './stored-value-view';

const POLL_MS = 1000;
const isTerminal = (status: string) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

export function RunLive({ initial, renderedAt }: { initial: RunView; renderedAt: number }) {
  const [run, setRun] = useState(initial);
  const [now, setNow] = useState(renderedAt);
  const [problem, setProblem] = useState<string | null>(null);
  const isLive = !isTerminal(run.status);

  useEffect(() => {
    if (!isLive) return;
    let isCancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/app-api/runs/${encodeURIComponent(run.id)}`, {
          cache: 'no-store',
          headers: { accept: 'application/json' },
        });
        if (isCancelled) return;
        if (response.status === 401 || response.status === 404) {
          setProblem(
            response.status === 401
              ? 'Your session ended: sign in again to follow this run.'
              : 'This run is no longer visible in the current team.',
          );
          return; // stop polling: retrying will not help
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const next = (await response.json()) as RunView;
        if (isCancelled) return;
        setRun(next);
        setNow(Date.now());
        setProblem(null);
        if (isTerminal(next.status)) return;
      } catch {
        if (isCancelled) return;
        setProblem('Live updates interrupted; retrying…');
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    // Between polls, let running bars and timers grow smoothly.
    const ticker = setInterval(() => setNow(Date.now()), 250);
    return () => {
      isCancelled = true;
      clearTimeout(timer);
      clearInterval(ticker);
    };
  }, [isLive, run.id]);

  const duration = elapsedMs(run.startedAt, run.finishedAt, now);
  const queued = elapsedMs(run.createdAt, run.startedAt ?? (isLive ? null : run.finishedAt), now);

  return (
    <div data-testid="run-page" data-run-id={run.id} data-live={isLive}>
      <PageHeader
        back={{ href: '/runs', label: 'Runs' }}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span>{run.workflowName}</span>
            <StatusBadge status={run.status} className="text-sm" data-testid="run-status" />
            {isLive && run.waitingUntil && (
              <span className="text-sm font-normal text-indigo-700" data-testid="run-waiting" data-wake-at={run.waitingUntil}>
                waits until <LocalTime iso={run.waitingUntil} format="time-ms" />
              </span>
            )}
          </span>
        }
        description={
          <span className="font-mono text-xs" data-testid="run-id">
            {run.id}
          </span>
        }
        actions={
          isLive ? (
            <>
              <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" data-testid="run-live-indicator">
                <span className="size-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden />
                Updating live
              </span>
              <form action={cancelRunAction.bind(null, run.id)}>
                <Button type="submit" variant="secondary" size="sm" data-testid="run-cancel">
                  Cancel run
                </Button>
              </form>
            </>
          ) : run.status === 'failed' || run.status === 'cancelled' ? (
            <form action={retryRunAction.bind(null, run.id)}>
              <IdempotencyKeyInput />
              <Button type="submit" size="sm" data-testid="run-retry">
                Retry from failed step
              </Button>
            </form>
          ) : null
        }
      />
      {problem && (
        <div
          role="status"
          className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="run-live-problem"
        >
          {problem}
        </div>
      )}

      <Card className="mb-6">
        <dl
          className="grid grid-cols-2 divide-zinc-100 sm:grid-cols-3 lg:grid-cols-[1.3fr_1.6fr_1fr_1fr_1fr_1fr] lg:divide-x"
          data-testid="run-summary"
        >
          <Stat label="Workflow">
            <Link href={`/workflows/${run.workflow}`} className="font-mono text-indigo-600 hover:underline" data-testid="run-workflow">
              {run.workflow}
            </Link>
            <span className="ml-1 text-zinc-400">v{run.workflowVersion}</span>
          </Stat>
          <Stat label="Created">
            <LocalTime iso={run.createdAt} withSeconds />
          </Stat>
          <Stat label="Started">
            <LocalTime iso={run.startedAt} format="time-ms" />
          </Stat>
          <Stat label="Finished">
            <LocalTime iso={run.finishedAt} format="time-ms" />
          </Stat>
          <Stat label="Queued for">{queued === null ? '—' : formatDuration(queued)}</Stat>
          <Stat label="Duration">
            <span data-testid="run-duration">{duration === null ? '—' : formatDuration(duration)}</span>
          </Stat>
        </dl>
      </Card>

      {run.error !== null && run.error !== undefined && <RunError error={run.error} />}

      <Card className="mb-6">
        <CardHeader>
          <div>
            <CardTitle>Timeline</CardTitle>
            <CardDescription>From creation to the end of the run; each bar is one attempt. Hover a bar for its details.</CardDescription>
          </div>
        </CardHeader>
        {run.steps.length === 0 && isLive ? (
          <p className="px-5 py-4 text-sm text-zinc-500">Waiting for the first step to start…</p>
        ) : (
          <RunTimeline run={run} now={now} />
        )}
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <div>
            <CardTitle>Steps</CardTitle>
            <CardDescription>
              {run.steps.length === 1 ? '1 step' : `${run.steps.length} steps`} with every attempt: status, latency and error.
            </CardDescription>
          </div>
        </CardHeader>
        {run.steps.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-500" data-testid="run-steps-empty">
            No step has started yet.
          </p>
        ) : (
          <ol className="divide-y divide-zinc-100" data-testid="run-steps">
            {run.steps.map((step) => (
              <StepItem key={step.key} runId={run.id} step={step} now={now} />
            ))}
          </ol>
        )}
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Input</CardTitle>
          </CardHeader>
          <CardContent>
            <StoredValueView runId={run.id} value={run.input} testId="run-input" />
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Output</CardTitle>
          </CardHeader>
          <CardContent>
            {run.status === 'succeeded' ? (
              <StoredValueView runId={run.id} value={run.output} testId="run-output" />
            ) : (
              <p className="text-sm text-zinc-500" data-testid="run-output-pending">
                {isLive ? 'Available when the run succeeds.' : 'No output: the run did not succeed.'}
              </p>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="px-5 py-4">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-1 truncate text-sm text-zinc-900 tabular-nums">{children}</dd>
    </div>
  );
}

interface Failure {
  stepId?: string;
  errorClass?: string;
  message?: string;
}

const asFailure = (value: unknown): Failure | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Failure).message === 'string'
    ? (value as Failure)
    : null;

function RunError({ error }: { error: unknown }) {
  const failure = asFailure(error);
  return (
    <div role="alert" className="mb-6 rounded-xl border border-red-200 bg-red-50 px-5 py-4" data-testid="run-error">
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm font-semibold text-red-900">The run failed</p>
        {failure?.errorClass && <Badge tone="red">{failure.errorClass}</Badge>}
        {failure?.stepId && (
          <span className="text-xs text-red-800">
            at step <code className="font-mono">{failure.stepId}</code>
          </span>
        )}
      </div>
      {failure ? <p className="mt-1.5 text-sm break-words text-red-800">{failure.message}</p> : <JsonView value={error} className="mt-2" />}
    </div>
  );
}

function StepItem({ runId, step, now }: { runId: string; step: RunView['steps'][number]; now: number }) {
  const duration = elapsedMs(step.startedAt, step.finishedAt, now);
  const failure = asFailure(step.error);
  return (
    <li className="px-5 py-4" data-testid="run-step" data-step-key={step.key} data-status={step.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <StatusBadge status={step.status} data-testid="step-status" />
        <code className="font-mono text-sm font-semibold text-zinc-900">{step.key}</code>
        <span className="text-xs text-zinc-400">{step.kind}</span>
        <span className="ml-auto text-xs text-zinc-500 tabular-nums">
          {step.attempts.length === 1 ? '1 attempt' : `${step.attempts.length} attempts`}
          {duration !== null && <> · {formatDuration(duration)}</>}
        </span>
      </div>
      {step.wakeAt && <WakeUp wakeAt={step.wakeAt} status={step.status} now={now} />}
      {failure && (
        <p className="mt-2 text-sm text-red-700" data-testid="step-error">
          {failure.errorClass && (
            <Badge tone="red" className="mr-2">
              {failure.errorClass}
            </Badge>
          )}
          {failure.message}
        </p>
      )}
      {step.attempts.length > 0 && (
        <div className="mt-3 overflow-x-auto rounded-lg border border-zinc-200">
          <table className="w-full text-left text-xs">
            <thead className="bg-zinc-50 text-zinc-500">
              <tr>
                <th className="w-12 px-3 py-1.5 font-medium">#</th>
                <th className="px-3 py-1.5 font-medium">Status</th>
                <th className="px-3 py-1.5 font-medium">Started</th>
                <th className="px-3 py-1.5 text-right font-medium">Latency</th>
                <th className="px-3 py-1.5 font-medium">Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {step.attempts.map((a) => (
                <tr key={a.attempt} data-testid="step-attempt" data-attempt={a.attempt} data-status={a.status}>
                  <td className="px-3 py-1.5 text-zinc-500 tabular-nums">{a.attempt}</td>
                  <td className="px-3 py-1.5">
                    <StatusBadge status={a.status} />
                  </td>
                  <td className="px-3 py-1.5 text-zinc-600">
                    <LocalTime iso={a.startedAt} format="time-ms" />
                  </td>
                  <td className="px-3 py-1.5 text-right text-zinc-700 tabular-nums" data-testid="attempt-latency">
                    {a.latencyMs === null
                      ? a.status === 'running'
                        ? formatDuration(elapsedMs(a.startedAt, null, now) ?? 0) + ' …'
                        : '—'
                      : `${a.latencyMs} ms`}
                  </td>
                  <td className="px-3 py-1.5 text-zinc-700" data-testid="attempt-error">
                    {a.errorClass || a.errorMessage ? (
                      <>
                        {a.errorClass && (
                          <code className="mr-1.5 rounded bg-red-50 px-1 py-0.5 font-mono text-red-700">{a.errorClass}</code>
                        )}
                        <span className="break-words">{a.errorMessage}</span>
                      </>
                    ) : (
                      <span className="text-zinc-300">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(step.input !== null || step.output !== null) && (
        <details className="group mt-3">
          <summary className="cursor-pointer text-xs font-medium text-zinc-500 select-none hover:text-zinc-900">
            Arguments and output
          </summary>
          <div className="mt-2 grid gap-3 lg:grid-cols-2">
            <div>
              <p className="mb-1 text-xs text-zinc-500">Arguments</p>
              <StoredValueView runId={runId} value={step.input} className="max-h-64" testId="step-input" />
            </div>
            <div>
              <p className="mb-1 text-xs text-zinc-500">Output</p>
              <StoredValueView runId={runId} value={step.output} className="max-h-64" testId="step-output" />
            </div>
          </div>
        </details>
      )}
    </li>
  );
}

/** A wait step's wake-up time; while it waits, with the time left (counting down with the page's ticker). */
function WakeUp({ wakeAt, status, now }: { wakeAt: string; status: string; now: number }) {
  const isWaiting = status === 'waiting';
  return (
    <p className="mt-2 text-sm text-zinc-600" data-testid="step-wake" data-wake-at={wakeAt} data-waiting={isWaiting}>
      {isWaiting ? 'Waits until ' : status === 'succeeded' ? 'Woke at ' : 'Was to wake at '}
      <LocalTime iso={wakeAt} format="time-ms" className="text-zinc-900 tabular-nums" />
      {isWaiting && (
        <span className="ml-2 text-indigo-700 tabular-nums" data-testid="step-countdown">
          {formatCountdown(Date.parse(wakeAt) - now)} to go
        </span>
      )}
    </p>
  );
}
