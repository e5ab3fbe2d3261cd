'use server';
// Catalog actions: team-private entries, server.json import, installing with limits, certification, test connection.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { argumentKey, launchDeclarationsOf } from '@manifold/core';
import type { FormState } from '@/components/form-state';
import { formError, formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

export async function createServerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, [
    'slug',
    'name',
    'description',
    'version',
    'transport',
    'command',
    'url',
    'repository',
    'license',
    'tags',
  ] as const);
  const { acting } = await requireSession();
  try {
    await services().catalog.create(acting, {
      slug: values.slug.trim(),
      name: values.name.trim(),
      description: values.description.trim(),
      version: values.version.trim() || '0.0.0',
      transport: values.transport,
      // One argument per line: never a shell line.
      command:
        values.transport === 'stdio'
          ? values.command
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean)
          : [],
      ...(values.transport === 'http' && values.url.trim() ? { url: values.url.trim() } : {}),
      ...(values.repository.trim() ? { repository: values.repository.trim() } : {}),
      ...(values.license.trim() ? { license: values.license.trim() } : {}),
      tags: list(values.tags),
    });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/catalog');
  redirect(`/catalog/${encodeURIComponent(values.slug.trim())}`);
}

export async function importServerJsonAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['json'] as const);
  const { acting } = await requireSession();
  let parsed: unknown;
  try {
    parsed = JSON.parse(values.json);
  } catch (error) {
    return formError(`This is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {}, values);
  }
  let slug: string;
  try {
    slug = (await services().catalog.importServerJson(acting, parsed)).slug;
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/catalog');
  redirect(`/catalog/${encodeURIComponent(slug)}`);
}

/**
 * The declared settings of the form (`arg:<key>`, `env:<NAME>`), typed by what the entry declares; the service
 * refuses anything the entry does not declare, so a tampered form changes nothing.
 */
async function declaredConfig(slug: string, formData: FormData, acting: Parameters<ReturnType<typeof services>['catalog']['get']>[0]) {
  const read = launchDeclarationsOf((await services().catalog.get(acting, slug)).server.metadata);
  const declarations = 'declarations' in read ? read.declarations : { arguments: [], environmentVariables: [] };
  const args: Record<string, string | number | boolean | Array<string | number>> = {};
  const env: Record<string, string> = {};
  for (const [field, raw] of formData.entries()) {
    if (typeof raw !== 'string') continue;
    const value = raw.trim();
    if (field.startsWith('env:') && value) env[field.slice(4)] = value;
    if (!field.startsWith('arg:')) continue;
    const key = field.slice(4);
    const declared = declarations.arguments.find((a) => argumentKey(a) === key);
    const format = declared?.format ?? 'string';
    if (format === 'boolean') args[key] = value === 'on';
    else if (declared?.isRepeated) {
      const items = list(value).map((item) => (format === 'number' && item !== '' && !Number.isNaN(Number(item)) ? Number(item) : item));
      if (items.length) args[key] = items;
    } else if (value) args[key] = format === 'number' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  return { args, env };
}

export async function installFromCatalogAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['name', 'url', 'timeoutMs', 'ratePerSecond', 'maxConcurrency'] as const);
  // Refill the declared settings after an error (secrets are referred to by name, so these hold no values).
  const settings = Object.fromEntries(
    [...formData.entries()].filter(([k, v]) => (k.startsWith('arg:') || k.startsWith('env:')) && typeof v === 'string') as Array<
      [string, string]
    >,
  );
  const { acting } = await requireSession();
  const limits = Object.fromEntries(
    (['timeoutMs', 'ratePerSecond', 'maxConcurrency'] as const)
      .map((k) => [k, numberOrUndefined(values[k])])
      .filter(([, v]) => v !== undefined),
  );
  try {
    const { args, env } = await declaredConfig(slug, formData, acting);
    await services().installations.install(acting, {
      server: slug,
      name: values.name.trim(),
      config: {
        ...(values.url.trim() ? { url: values.url.trim() } : {}),
        ...(Object.keys(args).length ? { args } : {}),
        ...(Object.keys(env).length ? { env } : {}),
      },
      limits,
    });
  } catch (error) {
    return formStateFromError(error, { ...values, ...settings });
  }
  revalidatePath('/servers');
  redirect(`/servers/${encodeURIComponent(values.name.trim())}`);
}

export interface CertifyState {
  status: 'idle' | 'done' | 'error';
  message?: string;
  reportId?: string;
}

export async function certifyAction(slug: string, _previous: CertifyState): Promise<CertifyState> {
  const { acting } = await requireSession();
  try {
    const result = await services().certification.certify(acting, slug, {});
    revalidatePath(`/catalog/${encodeURIComponent(slug)}`);
    revalidatePath('/catalog');
    const label = result.report.scope === 'team' ? 'Your team’s private report' : 'Tier';
    return { status: 'done', reportId: result.certificationId, message: `${label}: ${result.tier}` };
  } catch (error) {
    return { status: 'error', message: formStateFromError(error).message ?? 'Certification failed.' };
  }
}

export interface TestConnectionState {
  status: 'idle' | 'done' | 'error';
  result?: Awaited<ReturnType<ReturnType<typeof services>['installations']['testConnection']>>;
  message?: string;
}

export async function testConnectionAction(name: string, _previous: TestConnectionState): Promise<TestConnectionState> {
  const { acting } = await requireSession();
  try {
    return { status: 'done', result: await services().installations.testConnection(acting, name) };
  } catch (error) {
    return { status: 'error', message: formStateFromError(error).message ?? 'Test failed.' };
  }
}

export async function setMinTierAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['minTier'] as const);
  const { acting } = await requireSession();
  try {
    await services().certification.setPolicy(acting, { minTier: values.minTier });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath('/catalog');
  return { status: 'success', message: `Workflows now need servers of tier ${values.minTier} or better.` };
}
