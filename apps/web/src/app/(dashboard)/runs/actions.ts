'use server';
// Cancelling a run and retrying a failed one from its failed step.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

export async function cancelRunAction(runId: string): Promise<void> {
  const { acting } = await requireSession();
  await services().runs.cancel(acting, runId);
  revalidatePath(`/runs/${runId}`);
}

export async function retryRunAction(runId: string): Promise<void> {
  const { acting } = await requireSession();
  const { runId: retryId } = await services().runs.retry(acting, runId);
  redirect(`/runs/${retryId}`);
}
