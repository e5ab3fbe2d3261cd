import type { Metadata } from 'next';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';
import { RunLive } from './run-live';

export const metadata: Metadata = { title: 'Run · Manifold' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { acting } = await requireSession();
  const run = await orNotFound(services().runs.get(acting, id, { payloads: 'preview' }));
  // The client keeps it current (polling) until the run ends; renderedAt keeps server and client clocks in step.
  return <RunLive initial={run} renderedAt={Date.now()} />;
}
