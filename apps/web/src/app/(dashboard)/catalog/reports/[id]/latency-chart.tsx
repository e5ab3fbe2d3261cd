'use client';
// Latency of every probe call of one evaluation, in order (Recharts), with the p50/p95 lines.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export function LatencyChart({ samples, p50, p95 }: { samples: number[]; p50: number | null; p95: number | null }) {
  const data = samples.map((ms, i) => ({ call: i + 1, ms: Math.round(ms * 100) / 100 }));
  return (
    <div className="h-64 w-full" data-testid="latency-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis dataKey="call" tick={{ fontSize: 11 }} />
          <YAxis unit=" ms" tick={{ fontSize: 11 }} width={64} />
          <Tooltip formatter={(value) => [`${String(value)} ms`, 'latency']} labelFormatter={(label) => `call ${String(label)}`} />
          {p50 !== null && (
            <ReferenceLine y={p50} stroke="#6366f1" strokeDasharray="4 4" label={{ value: 'p50', fontSize: 10, position: 'right' }} />
          )}
          {p95 !== null && (
            <ReferenceLine y={p95} stroke="#f59e0b" strokeDasharray="4 4" label={{ value: 'p95', fontSize: 10, position: 'right' }} />
          )}
          <Line type="monotone" dataKey="ms" stroke="#18181b" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
