'use server';
// Team secrets from the dashboard: create, new version, delete. Submitted values are never sent back to the
// form (not even after an error): only the name and description refill.
import { revalidatePath } from 'next/cache';
import type { FormState } from '@/components/form-state';
import { formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

export async function createSecretAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { name, description, value } = formValues(formData, ['name', 'description', 'value'] as const);
  const { acting } = await requireSession();
  const refill = { name, description };
  try {
    await services().secrets.create(acting, {
      name: name.trim(),
      value,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
  } catch (error) {
    return formStateFromError(error, refill);
  }
  revalidatePath('/secrets');
  return { status: 'success', message: `Secret ${name.trim()} saved. Its value will not be shown again.` };
}

export async function putSecretVersionAction(name: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const { value } = formValues(formData, ['value'] as const);
  const { acting } = await requireSession();
  try {
    const secret = await services().secrets.putVersion(acting, name, { value });
    revalidatePath('/secrets');
    return { status: 'success', message: `Version ${secret.version} saved.` };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function deleteSecretAction(name: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const { force } = formValues(formData, ['force'] as const);
  const { acting } = await requireSession();
  try {
    await services().secrets.delete(acting, name, { force: force === 'on' ? 'true' : 'false' });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath('/secrets');
  return { status: 'success', message: `Secret ${name} deleted.` };
}
