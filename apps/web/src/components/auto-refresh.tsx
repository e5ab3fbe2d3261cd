'use client';
// Re-renders the current page from the server every few seconds while `active`, e.g. while runs are in flight.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  if (!active) return null;
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" data-testid="auto-refresh">
      <span className="size-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden />
      Live
    </span>
  );
}
