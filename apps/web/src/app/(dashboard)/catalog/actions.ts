'use server';
// Catalog actions: team-private entries, server.json import, installing with limits, certification, test connection.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
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

export async function installFromCatalogAction(slug: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['name', 'url', 'env', 'timeoutMs', 'ratePerSecond', 'maxConcurrency'] as const);
  const { acting } = await requireSession();
  const env = Object.fromEntries(
    values.env
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=') < 0 ? line.length : line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const limits = Object.fromEntries(
    (['timeoutMs', 'ratePerSecond', 'maxConcurrency'] as const)
      .map((k) => [k, numberOrUndefined(values[k])])
      .filter(([, v]) => v !== undefined),
  );
  try {
    await services().installations.install(acting, {
      server: slug,
      name: values.name.trim(),
      config: { ...(values.url.trim() ? { url: values.url.trim() } : {}), ...(Object.keys(env).length ? { env } : {}) },
      limits,
    });
  } catch (error) {
    return formStateFromError(error, values);
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
