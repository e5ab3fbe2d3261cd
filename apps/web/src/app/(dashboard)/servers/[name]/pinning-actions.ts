'use server';
// Approving an installation's changed tool definitions from the dashboard (owners and admins).
import { revalidatePath } from 'next/cache';
import { formStateFromError } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

export interface ApproveState {
  status: 'idle' | 'approved' | 'error';
  message?: string;
}

export async function approveToolsAction(name: string, snapshotId: string, _previous: ApproveState): Promise<ApproveState> {
  const { acting } = await requireSession();
  try {
    await services().toolPinning.approve(acting, name, { snapshotId });
  } catch (error) {
    return { status: 'error', message: formStateFromError(error).message ?? 'Approval failed.' };
  }
  revalidatePath(`/servers/${encodeURIComponent(name)}`);
  return { status: 'approved' };
}
