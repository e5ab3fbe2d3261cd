// Secrets in Chromium: create one in the dashboard, bind it to a server, run a workflow that needs it, and
// check the value is never shown again (page HTML of every page involved, REST responses included).
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { json, replaceEditorText } from './support/editor';
import { bootstrapTeam } from './support/cli';
import { everythingBin, signUpAndIn } from './support/accounts';

const email = `secrets-${randomUUID().slice(0, 8)}@example.test`;
const password = 'correct-horse-battery';
const canary = `e2e-canary-${randomUUID()}`;

async function expectNoCanary(page: Page) {
  expect(await page.content()).not.toContain(canary);
}

test('create a secret, bind it, run a workflow that uses it; the value is never shown again', async ({ page }) => {
  await signUpAndIn(page, { email, password, name: 'Secret Keeper' });
  await expect(page).toHaveURL(/\/servers$/);

  await page.getByTestId('nav-secrets').first().click();
  await expect(page).toHaveURL(/\/secrets$/);
  await page.getByTestId('secret-name').fill('E2E_TOKEN');
  await page.getByTestId('secret-value').fill(canary);
  await expect(page.getByTestId('secret-value')).toHaveAttribute('type', 'password');
  await page.getByTestId('secret-description').fill('Canary for the e2e test');
  await page.getByTestId('create-secret-submit').click();
  await expect(page.getByTestId('create-secret-success')).toBeVisible();
  const row = page.locator('[data-testid=secret-row][data-name=E2E_TOKEN]');
  await expect(row.getByTestId('secret-version')).toHaveText('v1');
  await expect(page.getByTestId('secret-value')).toHaveValue('');
  await expectNoCanary(page);

  // A duplicate name is refused and the value is not refilled.
  await page.getByTestId('secret-name').fill('E2E_TOKEN');
  await page.getByTestId('secret-value').fill(canary);
  await page.getByTestId('create-secret-submit').click();
  await expect(page.getByTestId('field-error-secret-name')).toContainText('Already in use');
  await expect(page.getByTestId('secret-value')).toHaveValue('');
  await expectNoCanary(page);

  // The public server-everything declares no variables: a team entry for it that declares E2E_CANARY.
  await page.goto('/catalog');
  await page.getByTestId('import-server-json').fill(
    JSON.stringify({
      name: 'io.manifold.e2e/everything-echo',
      description: 'server-everything with one declared variable',
      version: '1.0.0',
      packages: [
        {
          registryType: 'npm',
          identifier: '@modelcontextprotocol/server-everything',
          environmentVariables: [{ name: 'E2E_CANARY', isSecret: true }],
        },
      ],
      _meta: { 'io.manifold/catalog': { slug: 'everything-echo', command: [everythingBin(), 'stdio'] } },
    }),
  );
  await page.getByTestId('import-server-submit').click();
  await expect(page).toHaveURL(/\/catalog\/everything-echo$/);
  await page.getByTestId('nav-servers').first().click();
  await page.getByTestId('add-server-submit-everything-echo').click();
  await expect(page).toHaveURL(/\/servers\/everything-echo$/);
  await page.getByTestId('bind-secret-key').fill('E2E_CANARY');
  await page.getByTestId('bind-secret-value').fill('{{ secrets.E2E_TOKEN }}');
  await page.getByTestId('bind-secret-submit').click();
  await expect(page.getByTestId('bind-secret-success')).toBeVisible();
  await expect(page.getByTestId('installation-details')).toContainText('secrets.E2E_TOKEN');
  await expectNoCanary(page);

  await page.goto('/workflows/new');
  await page.getByTestId('workflow-name').fill('Needs a secret');
  await page.getByTestId('workflow-slug').fill('needs-secret');
  await replaceEditorText(page, json({ steps: [{ id: 'env', type: 'tool', server: 'everything-echo', tool: 'get-env', args: {} }] }));
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  await page.getByTestId('workflow-submit').click();
  await expect(page).toHaveURL(/\/workflows\/needs-secret$/);
  await page.getByTestId('run-button').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.locator('[data-testid=run-status][data-status=succeeded]')).toBeVisible({ timeout: 60_000 });
  // The server echoed its environment back: the secret reached it, and came back redacted.
  await expect(page.getByTestId('run-output')).toContainText('E2E_CANARY');
  await expect(page.getByTestId('run-output')).toContainText('[redacted]');
  await expectNoCanary(page);

  await page.goto('/secrets');
  await expect(row.getByTestId('secret-used-by')).toHaveText('everything-echo');
  await row.getByTestId('new-version-value-E2E_TOKEN').fill(`${canary}-v2`);
  await row.getByTestId('new-version-submit-E2E_TOKEN').click();
  await expect(row.getByTestId('secret-version')).toHaveText('v2');
  await expectNoCanary(page);

  // In use: deleting needs the explicit override.
  await row.getByTestId('delete-secret-submit-E2E_TOKEN').click();
  await expect(row.getByTestId('delete-secret-error-E2E_TOKEN')).toContainText('used by "everything-echo"');
  await row.getByTestId('delete-secret-force-E2E_TOKEN').check();
  await row.getByTestId('delete-secret-submit-E2E_TOKEN').click();
  await expect(page.getByTestId('secrets-empty')).toBeVisible();
});

test('REST: secrets are write-only, versioned, team-scoped, and bound through PATCH', async ({ request }) => {
  const [{ apiKey }, { apiKey: otherKey }] = await Promise.all([bootstrapTeam('secrets-api'), bootstrapTeam('secrets-intruder')]);
  const auth = (key = apiKey) => ({ Authorization: `Bearer ${key}` });
  const value = `rest-canary-${randomUUID()}`;

  const created = await request.post('/api/v1/secrets', { headers: auth(), data: { name: 'REST_TOKEN', value, description: 'd' } });
  expect(created.status()).toBe(201);
  expect(created.headers().location).toBe('/api/v1/secrets/REST_TOKEN');
  const body = await created.json();
  expect(body).toMatchObject({ name: 'REST_TOKEN', description: 'd', version: 1, usedBy: [] });
  expect(Object.keys(body).sort()).toEqual([
    'createdAt',
    'createdBy',
    'description',
    'fingerprint',
    'name',
    'updatedAt',
    'updatedBy',
    'usedBy',
    'version',
  ]);

  const bad = await request.post('/api/v1/secrets', { headers: auth(), data: { name: '1bad', value: 'x' } });
  expect(bad.status()).toBe(400);
  expect(bad.headers()['content-type']).toContain('application/problem+json');
  expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'value']);

  const put = await request.put('/api/v1/secrets/REST_TOKEN', { headers: auth(), data: { value: `${value}-2` } });
  expect(put.status()).toBe(200);
  expect((await put.json()).version).toBe(2);

  expect((await request.get('/api/v1/secrets/REST_TOKEN', { headers: auth(otherKey) })).status()).toBe(404);
  expect((await request.delete('/api/v1/secrets/REST_TOKEN', { headers: auth(otherKey) })).status()).toBe(404);

  // A stdio server takes only the variables its entry declares (server-everything declares none).
  const entry = await request.post('/api/v1/servers', {
    headers: auth(),
    data: {
      slug: 'ev-echo',
      name: 'ev echo',
      transport: 'stdio',
      command: [everythingBin(), 'stdio'],
      environmentVariables: [{ name: 'TOKEN', isSecret: true }],
    },
  });
  expect(entry.status()).toBe(201);
  expect((await request.post('/api/v1/installations', { headers: auth(), data: { server: 'ev-echo', name: 'ev' } })).status()).toBe(201);
  const undeclared = await request.patch('/api/v1/installations/ev', {
    headers: auth(),
    data: { config: { env: { LD_PRELOAD: '/tmp/x.so' } } },
  });
  expect(undeclared.status()).toBe(400);
  expect((await undeclared.json()).errors[0].path).toBe('config.env.LD_PRELOAD');
  const patched = await request.patch('/api/v1/installations/ev', {
    headers: auth(),
    data: { config: { env: { TOKEN: '{{ secrets.REST_TOKEN }}' } } },
  });
  expect(patched.status()).toBe(200);
  const badRef = await request.patch('/api/v1/installations/ev', {
    headers: auth(),
    data: { config: { env: { TOKEN: '{{ secret.REST_TOKEN }}' } } },
  });
  expect(badRef.status()).toBe(400);
  expect((await badRef.json()).errors[0].path).toBe('config.env.TOKEN');

  const inUse = await request.delete('/api/v1/secrets/REST_TOKEN', { headers: auth() });
  expect(inUse.status()).toBe(409);
  const responses = [
    body,
    await put.text(),
    await (await request.get('/api/v1/secrets', { headers: auth() })).text(),
    await patched.text(),
  ];
  expect(JSON.stringify(responses)).not.toContain(value);
  expect((await request.delete('/api/v1/secrets/REST_TOKEN?force=true', { headers: auth() })).status()).toBe(204);
  expect((await request.get('/api/v1/secrets/REST_TOKEN', { headers: auth() })).status()).toBe(404);
});
