'use server';
// Installing a catalog server in the current team, listing an installation's tools live, and deleting a team entry.
import { argumentKey, launchDeclarationsOf } from '@manifold/core';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { FormState } from '@/components/form-state';
import { formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';
import { parseTools, type ToolsState } from './tools';

export async function installServerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['server', 'name', 'url'] as const);
  const { acting } = await requireSession();
  const name = values.name.trim();
  const url = values.url.trim();
  try {
    await services().installations.install(acting, { server: values.server, name, config: url ? { url } : {} });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/servers');
  redirect(`/servers/${encodeURIComponent(name)}`);
}

export async function listToolsAction(name: string, _previous: ToolsState): Promise<ToolsState> {
  const { acting } = await requireSession();
  try {
    const { tools, latencyMs } = await services().installations.listTools(acting, name, { live: true });
    revalidatePath('/servers');
    revalidatePath(`/servers/${encodeURIComponent(name)}`); // a changed tool set shows up as a pending change
    return { status: 'live', tools: parseTools(tools), latencyMs, listedAt: new Date().toISOString() };
  } catch (error) {
    const state = formStateFromError(error);
    return { status: 'error', message: state.message ?? 'Listing tools failed.' };
  }
}

/**
 * Adds or replaces one binding whose value refers to secrets: an HTTP header (remote), or for a stdio server a
 * declared argument (by its key) or env variable. The service refuses anything the entry does not declare.
 */
export async function bindSecretAction(name: string, transport: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['key', 'value'] as const);
  const { acting } = await requireSession();
  const key = values.key.trim();
  try {
    const installation = await services().installations.get(acting, name);
    const read = launchDeclarationsOf(installation.server.metadata);
    const isArgument = transport !== 'http' && 'declarations' in read && read.declarations.arguments.some((a) => argumentKey(a) === key);
    const field = transport === 'http' ? 'headers' : isArgument ? 'args' : 'env';
    const current = ((installation.config ?? {}) as Record<string, Record<string, unknown> | undefined>)[field] ?? {};
    await services().installations.update(acting, name, { config: { [field]: { ...current, [key]: values.value.trim() } } });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath(`/servers/${encodeURIComponent(name)}`);
  return { status: 'success', message: `Bound ${key}.` };
}

/** Removes the installation; refused while a workflow calls it unless "force" is ticked. */
export async function uninstallServerAction(name: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const { force } = formValues(formData, ['force'] as const);
  const { acting } = await requireSession();
  try {
    await services().installations.uninstall(acting, name, { force: force === 'on' ? 'true' : 'false' });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath('/servers');
  redirect('/servers');
}

/** Deletes a team-private catalog entry (owners/admins); with "force" ticked its installations go too. */
export async function deleteCatalogEntryAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const { force } = formValues(formData, ['force'] as const);
  const { acting } = await requireSession();
  try {
    await services().catalog.remove(acting, slug, { force: force === 'on' ? 'true' : 'false' });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath('/servers');
  revalidatePath('/catalog');
  redirect('/catalog');
}
