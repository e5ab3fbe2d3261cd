// The installation's call limits and its circuit breaker: current state, counters and recent transitions.
import { LocalTime } from '@/components/local-time';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { Services } from '@manifold/services';

type LimitsStatus = Awaited<ReturnType<Services['installationLimits']['status']>>;

const STATE_TONE = { closed: 'green', half_open: 'amber', open: 'red' } as const;
const STATE_LABEL = { closed: 'closed', half_open: 'half-open', open: 'open' } as const;

export function CallLimitsCard({ status }: { status: LimitsStatus }) {
  const { limits } = status;
  const state = status.state as keyof typeof STATE_TONE;
  return (
    <Card className="h-fit" data-testid="call-limits">
      <CardHeader>
        <CardTitle>Call limits</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <div>
            <dt className="text-xs font-medium text-zinc-500">Circuit breaker</dt>
            <dd className="mt-0.5" data-testid="breaker-state">
              {limits.breaker ? <Badge tone={STATE_TONE[state]}>{STATE_LABEL[state]}</Badge> : <span className="text-zinc-400">off</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-zinc-500">Calls in flight</dt>
            <dd className="mt-0.5 tabular-nums">
              {status.inFlight}
              {limits.maxConcurrency ? <span className="text-zinc-400"> / {limits.maxConcurrency}</span> : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-zinc-500">Rate</dt>
            <dd className="mt-0.5">
              {limits.ratePerSecond ? `${limits.ratePerSecond} / s` : <span className="text-zinc-400">unlimited</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-zinc-500">Timeout cap</dt>
            <dd className="mt-0.5">{limits.timeoutMs ? `${limits.timeoutMs} ms` : <span className="text-zinc-400">step’s own</span>}</dd>
          </div>
          {limits.breaker && status.state !== 'closed' && (
            <div className="col-span-2 text-xs text-zinc-600" data-testid="breaker-detail">
              {status.resumesAt ? (
                <>
                  Open since {status.openedAt ? <LocalTime iso={status.openedAt.toISOString()} /> : 'now'}; calls resume at{' '}
                  <LocalTime iso={status.resumesAt.toISOString()} />.
                </>
              ) : (
                <>
                  Half-open: {status.probesInFlight} of {limits.breaker.halfOpenProbes} probe call(s) in flight. A probe slot expires with its
                  call’s lease; saving the limits frees the slots.
                </>
              )}
            </div>
          )}
          {limits.breaker && (
            <div className="col-span-2 text-xs text-zinc-500">
              Opens after {limits.breaker.consecutiveFailures} failures in a row or {Math.round(limits.breaker.failureRatio * 100)}% of ≥
              {limits.breaker.minimumCalls} calls; cool-down {limits.breaker.coolDownMs} ms. Counts transport, timeout and protocol
              failures{limits.breaker.countToolErrors ? ' and tool errors' : ', not tool errors or refused arguments'}. Window:{' '}
              {status.windowFailures} of {status.windowCalls} failed; {status.consecutiveFailures} in a row.
            </div>
          )}
        </dl>
        {status.history.length > 0 && (
          <ol className="mt-4 space-y-1.5 border-t border-zinc-100 pt-3 text-xs" data-testid="breaker-history">
            {status.history.map((event, i) => (
              <li key={i} className="flex flex-wrap items-baseline gap-x-2">
                <LocalTime iso={event.at.toISOString()} />
                <span className="font-medium text-zinc-900">
                  {STATE_LABEL[event.from as keyof typeof STATE_LABEL]} → {STATE_LABEL[event.to as keyof typeof STATE_LABEL]}
                </span>
                <span className="text-zinc-500">{event.reason}</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
