// OAuth in Chromium: a remote server behind a real authorization server (oidc-provider). The user presses
// Connect on the server's page, signs in and consents at the authorization server, comes back to
// "Connected", and a run then reaches the protected server with a token bound to it.
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  MCP_SCOPE,
  startOAuthServer,
  startProtectedMcpServer,
  type RunningOAuthServer,
  type RunningProtectedMcpServer,
} from '@manifold/testing';
import { bootstrapTeam } from './support/cli';
import { waitForRunStatus } from './support/runs';

let as: RunningOAuthServer;
let protectedServer: RunningProtectedMcpServer;
let team: Awaited<ReturnType<typeof bootstrapTeam>>;
const NAME = 'crm';

const auth = () => ({ Authorization: `Bearer ${team.apiKey}` });

const waitForRun = (request: APIRequestContext, id: string) => waitForRunStatus(request, team.apiKey, id);

test.beforeAll(async ({ baseURL }) => {
  as = await startOAuthServer({ redirectUris: [`${baseURL}/servers/${NAME}/oauth/callback`] });
  protectedServer = await startProtectedMcpServer({ issuer: as.issuer, jwksUri: as.jwksUri });
  team = await bootstrapTeam('oauth');
});

test.afterAll(async () => {
  await protectedServer?.stop();
  await as?.stop();
});

test('connects a remote server with OAuth in the dashboard, then runs against it', async ({ page, request }, testInfo) => {
  // Set up by automation: a team-private catalog entry, the client secret (a team secret), the installation.
  expect(
    (
      await request.post('/api/v1/servers', {
        headers: auth(),
        data: { slug: 'crm', name: 'CRM', transport: 'http', url: protectedServer.url },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await request.post('/api/v1/secrets', { headers: auth(), data: { name: 'CRM_CLIENT_SECRET', value: as.webClient.clientSecret } })
    ).status(),
  ).toBe(201);
  const installed = await request.post('/api/v1/installations', {
    headers: auth(),
    data: {
      server: 'crm',
      name: NAME,
      config: {
        auth: {
          type: 'oauth2',
          grant: 'authorization_code',
          issuer: as.issuer,
          clientId: as.webClient.clientId,
          clientSecret: 'CRM_CLIENT_SECRET',
          scope: `openid ${MCP_SCOPE}`,
        },
      },
    },
  });
  expect(installed.status()).toBe(201);
  expect(await (await request.get(`/api/v1/installations/${NAME}/oauth`, { headers: auth() })).json()).toMatchObject({
    configured: true,
    connected: false,
  });

  await page.goto('/sign-in');
  await page.getByTestId('sign-in-email').fill(team.email);
  await page.getByTestId('sign-in-password').fill(team.password);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.goto(`/servers/${NAME}`);
  await expect(page.getByTestId('oauth-status')).toHaveText('not connected');

  await page.getByTestId('oauth-connect').click();
  // The authorization server's own (development) login and consent pages.
  await page.waitForURL((url) => url.origin === as.issuer);
  await page.locator('input[name=login]').fill('alice');
  await page.locator('input[name=password]').fill('any-password');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();

  await page.waitForURL((url) => url.pathname === `/servers/${NAME}` && url.searchParams.get('oauth') === 'connected');
  await expect(page.getByTestId('oauth-status')).toHaveText('Connected');
  await expect(page.getByTestId('oauth-connected-notice')).toBeVisible();
  await expect(page.getByTestId('oauth-connect')).toHaveText('Reconnect');
  // No token on the page: JWTs start with "eyJ".
  expect(await page.content()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  const screenshot = path.join(import.meta.dirname, 'artifacts', 'oauth-connected.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('server page, OAuth connected', { path: screenshot, contentType: 'image/png' });

  const workflow = await request.post('/api/v1/workflows', {
    headers: auth(),
    data: {
      slug: 'crm-echo',
      name: 'CRM echo',
      definition: { steps: [{ id: 'call', type: 'tool', server: NAME, tool: 'echo', args: { message: 'hi' } }] },
    },
  });
  expect(workflow.status()).toBe(201);
  const started = await request.post('/api/v1/runs', {
    headers: { ...auth(), 'Idempotency-Key': 'oauth-e2e' },
    data: { workflow: 'crm-echo', input: {} },
  });
  const run = await waitForRun(request, ((await started.json()) as { id: string }).id);
  expect(run.status).toBe('succeeded');
  expect(protectedServer.acceptedTokens.size).toBeGreaterThan(0);

  await page.getByTestId('oauth-disconnect').click();
  await expect(page.getByTestId('oauth-status')).toHaveText('not connected');
});
