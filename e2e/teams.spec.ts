// Teams in Chromium: an owner invites a second user as viewer; the invitee accepts in a second browser
// context; the viewer sees no write controls, and a forged write (the owner's server action replayed with
// the viewer's session) is refused by the server.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page, type Request } from '@playwright/test';
import { signUpAndIn } from './support/accounts';

const id = randomUUID().slice(0, 8);
const owner = { email: `owner-${id}@example.test`, password: 'owner-password-123' };
const viewer = { email: `viewer-${id}@example.test`, password: 'viewer-password-123' };
const teamName = `Acme ${id}`;

const signUp = signUpAndIn;

test('invite a viewer, accept in a second browser, viewer sees no write controls and forged writes are refused', async ({
  page,
  browser,
}) => {
  // Owner: sign up, rename the personal team, invite the viewer.
  await signUp(page, owner);
  await expect(page).toHaveURL(/\/servers$/);
  await page.goto('/settings/team');
  let renameRequest: Request | undefined;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.headers()['next-action'] && request.postData()?.includes(teamName)) renameRequest = request;
  });
  await page.getByTestId('team-name-input').fill(teamName);
  await page.getByTestId('rename-team-submit').click();
  await expect(page.getByTestId('rename-team-form-success')).toBeVisible();
  await expect(page.getByTestId('current-team')).toContainText(teamName);
  expect(renameRequest, 'the rename server action request').toBeDefined();

  await page.getByTestId('invite-email').fill(viewer.email);
  await page.getByTestId('invite-role').selectOption('viewer');
  await page.getByTestId('invite-submit').click();
  const link = (await page.getByTestId('invite-form-success').textContent())!.trim();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId(`invitation-${viewer.email}`)).toBeVisible();
  const invitePath = new URL(link).pathname;

  // Viewer: a separate browser context (own cookies) signs up through the link and accepts.
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signUp(viewerPage, viewer, invitePath);
  await expect(viewerPage).toHaveURL(new RegExp(`${invitePath}$`));
  await expect(viewerPage.getByTestId('invite-role')).toHaveText('viewer');
  await viewerPage.getByTestId('accept-invite').click();
  await expect(viewerPage).toHaveURL(/\/runs$/);
  await expect(viewerPage.getByTestId('current-team')).toContainText(teamName);

  // The link is single-use.
  await viewerPage.goto(invitePath);
  await expect(viewerPage.getByTestId('invite-invalid')).toBeVisible();

  // The owner sees the new member; the invitation is no longer pending.
  await page.reload();
  await expect(page.getByTestId(`member-${viewer.email}`)).toBeVisible();
  await expect(page.getByTestId(`invitation-${viewer.email}`)).toHaveCount(0);

  // Viewer: no write controls anywhere.
  await viewerPage.goto('/settings/team');
  await expect(viewerPage.getByTestId(`member-${owner.email}`)).toBeVisible();
  await expect(viewerPage.getByTestId('rename-team-form')).toHaveCount(0);
  await expect(viewerPage.getByTestId('invite-form')).toHaveCount(0);
  await expect(viewerPage.getByTestId('delete-team-form')).toHaveCount(0);
  await expect(viewerPage.getByTestId('nav-api-keys')).toHaveCount(0);
  await viewerPage.goto('/workflows');
  await expect(viewerPage.getByTestId('new-workflow-link')).toHaveCount(0);
  await viewerPage.goto('/servers');
  await expect(viewerPage.getByTestId('add-server-form-server-everything')).toHaveCount(0);
  // Admin pages answer with the not-found page (streamed, so the status line is already 200).
  await viewerPage.goto('/settings/api-keys');
  await expect(viewerPage.getByTestId('not-found')).toBeVisible();
  await expect(viewerPage.getByTestId('create-api-key-form')).toHaveCount(0);

  // Forged write: replay the owner's rename action with the viewer's session and another name.
  const forgedBody = renameRequest!.postData()!.replace(teamName, 'Hijacked');
  const actionHeaders = {
    'next-action': renameRequest!.headers()['next-action']!,
    'content-type': renameRequest!.headers()['content-type']!,
    accept: 'text/x-component',
  };
  // Without a same-origin Origin header the edge refuses it before any action runs.
  const originless = await viewerContext.request.post(renameRequest!.url(), { headers: actionHeaders, data: forgedBody });
  expect(originless.status()).toBe(403);
  // With one, the action itself refuses the viewer's role.
  const forged = await viewerContext.request.post(renameRequest!.url(), {
    headers: { ...actionHeaders, origin: new URL(renameRequest!.url()).origin },
    data: forgedBody,
  });
  expect(await forged.text()).toContain('does not allow');
  await page.reload();
  await expect(page.getByTestId('current-team')).toContainText(teamName);
  await expect(page.getByTestId('current-team')).not.toContainText('Hijacked');

  // The owner's audit log shows the whole story.
  await page.goto('/settings/audit');
  const actions = await page.getByTestId('audit-row').locator('code').allTextContents();
  expect(actions).toEqual(expect.arrayContaining(['invitation.accepted', 'invitation.created', 'team.renamed']));
  await viewerContext.close();
});

test('an owner creates a team, switches to it, creates and revokes an API key, then deletes the team', async ({ page }) => {
  const account = { email: `keys-${id}@example.test`, password: 'keys-password-123' };
  await signUp(page, account);
  await expect(page).toHaveURL(/\/servers$/);
  await page.goto('/settings/team');
  await page.getByTestId('create-team-name').fill(`Second ${id}`);
  await page.getByTestId('create-team-submit').click();
  await expect(page.getByTestId('current-team')).toContainText(`Second ${id}`);
  await expect(page.getByTestId('team-switcher')).toBeVisible();

  // API key: shown once, listed by prefix, usable against the REST API, then revoked (401).
  await page.getByTestId('nav-api-keys').click();
  await page.getByTestId('api-key-name').fill('ci');
  await page.getByTestId('create-api-key-submit').click();
  const key = (await page.getByTestId('create-api-key-form-success').textContent())!.trim();
  expect(key).toMatch(/^mfk_[A-Za-z0-9]{12}_/);
  await expect(page.getByTestId('api-key-ci')).toContainText(`mfk_${key.slice(4, 16)}_…`);
  await expect(page.getByTestId('api-key-ci')).not.toContainText(key);
  expect((await page.request.get('/api/v1/runs', { headers: { authorization: `Bearer ${key}` } })).status()).toBe(200);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('revoke-api-key-ci').getByRole('button').click();
  await expect(page.getByTestId('api-key-ci')).toContainText('revoked');
  expect((await page.request.get('/api/v1/runs', { headers: { authorization: `Bearer ${key}` } })).status()).toBe(401);

  // Delete needs the exact name; then the user lands in their remaining (personal) team.
  await page.goto('/settings/team');
  await page.getByTestId('delete-team-confirm').fill('wrong');
  await page.getByTestId('delete-team-submit').click();
  await expect(page.getByTestId('delete-team-form-error')).toContainText('Type the team name');
  await page.getByTestId('delete-team-confirm').fill(`Second ${id}`);
  await page.getByTestId('delete-team-submit').click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByTestId('current-team')).not.toContainText(`Second ${id}`);
});
