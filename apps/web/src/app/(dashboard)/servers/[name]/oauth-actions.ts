'use server';
// OAuth of a remote installation from its page: save the settings, Connect (authorization code with PKCE:
// off to the authorization server; it returns to ./oauth/callback), Disconnect.
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { FormState } from '@/components/form-state';
import { formStateFromError, formValues } from '@/server/form-state';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';

const pagePath = (name: string) => `/servers/${encodeURIComponent(name)}`;

/** Where the authorization server sends the user back: this app's own origin (register it with the AS). */
async function oauthCallbackUrl(name: string): Promise<string> {
  const requestHeaders = await headers();
  const host = requestHeaders.get('x-forwarded-host') ?? requestHeaders.get('host') ?? '127.0.0.1:3000';
  const proto = requestHeaders.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}${pagePath(name)}/oauth/callback`;
}

export async function saveOAuthSettingsAction(name: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const values = formValues(formData, ['grant', 'issuer', 'clientId', 'clientSecret', 'scope', 'resource'] as const);
  const { acting } = await requireSession();
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  try {
    const installation = await services().installations.get(acting, name);
    const current = ((installation.config ?? {}) as { auth?: { refreshTokenSecret?: string } }).auth;
    const auth = Object.fromEntries(
      Object.entries({
        type: 'oauth2',
        grant: values.grant,
        issuer: optional(values.issuer),
        clientId: optional(values.clientId),
        clientSecret: optional(values.clientSecret),
        scope: optional(values.scope),
        resource: optional(values.resource),
        refreshTokenSecret: values.grant === 'authorization_code' ? current?.refreshTokenSecret : undefined,
      }).filter(([, value]) => value !== undefined),
    );
    await services().installations.update(acting, name, { config: { auth } });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath(pagePath(name));
  return { status: 'success', message: 'OAuth settings saved.' };
}

export async function connectOAuthAction(name: string, _previous: FormState): Promise<FormState> {
  const { acting } = await requireSession();
  let url: string;
  try {
    ({ url } = await services().oauth.startAuthorization(acting, name, await oauthCallbackUrl(name)));
  } catch (error) {
    return formStateFromError(error);
  }
  redirect(url);
}

export async function disconnectOAuthAction(name: string, _previous: FormState): Promise<FormState> {
  const { acting } = await requireSession();
  try {
    await services().oauth.disconnect(acting, name);
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath(pagePath(name));
  return { status: 'success', message: 'Disconnected.' };
}
