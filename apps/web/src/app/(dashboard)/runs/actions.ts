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

/** Retries with the button's idempotency key: a double click makes one retry run. */
export async function retryRunAction(runId: string, formData: FormData): Promise<void> {
  const { acting } = await requireSession();
  const key = formData.get('idempotencyKey');
  const { runId: retryId } = await services().runs.retry(acting, runId, typeof key === 'string' && key ? key : null);
  redirect(`/runs/${retryId}`);
}
