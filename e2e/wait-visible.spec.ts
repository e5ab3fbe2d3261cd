// A run sleeping in a wait step, seen as a client and as a person: the REST API has the step `waiting` with its
// wake-up time, the run page says "waits until …" with a countdown and draws the rest of the wait, the runs list
// says until when the run waits; cancelling ends the step `cancelled`.
import { expect, test } from '@playwright/test';
import { bootstrapTeam } from './support/cli';
import { waitForRunStatus } from './support/runs';

interface Step {
  key: string;
  status: string;
  wakeAt: string | null;
}

test('a waiting wait step shows its wake-up time in the API, on the run page and in the runs list', async ({ page, request }) => {
  const team = await bootstrapTeam('waits');
  const headers = { Authorization: `Bearer ${team.apiKey}` };
  const definition = { steps: [{ id: 'pause', type: 'wait', duration: '10m' }] };
  expect((await request.post('/api/v1/workflows', { headers, data: { slug: 'nap', name: 'Nap', definition } })).status()).toBe(201);
  const run = (await (await request.post('/api/v1/runs', { headers, data: { workflow: 'nap' } })).json()) as { id: string };

  let pause: Step | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await request.get(`/api/v1/runs/${run.id}`, { headers })).json()) as { steps: Step[] };
        pause = body.steps.find((s) => s.key === 'pause');
        return pause?.status;
      },
      { timeout: 60_000, intervals: [200, 500, 1000] },
    )
    .toBe('waiting');
  const wakeAt = pause!.wakeAt!;
  expect(Date.parse(wakeAt)).toBeGreaterThan(Date.now() + 8 * 60_000);

  await page.goto(`/sign-in?${new URLSearchParams({ callbackUrl: `/runs/${run.id}` })}`);
  await page.getByTestId('sign-in-email').fill(team.email);
  await page.getByTestId('sign-in-password').fill(team.password);
  await page.getByTestId('sign-in-submit').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${run.id}$`));

  const step = page.locator('[data-testid=run-step][data-step-key=pause][data-status=waiting]');
  await expect(step).toBeVisible();
  await expect(step.getByTestId('step-wake')).toHaveAttribute('data-wake-at', wakeAt);
  await expect(step.getByTestId('step-wake')).toContainText('Waits until');
  await expect(step.getByTestId('step-countdown')).toContainText(/^(9m|10m) \d{2}s to go$/);
  await expect(page.getByTestId('run-waiting')).toHaveAttribute('data-wake-at', wakeAt);
  await expect(page.locator('[data-testid=timeline-planned]')).toHaveAttribute('data-wake-at', wakeAt);

  await page.getByTestId('nav-runs').first().click();
  await expect(page.locator(`[data-testid=run-row][data-run-id="${run.id}"] [data-testid=run-row-waiting]`)).toHaveAttribute(
    'data-wake-at',
    wakeAt,
  );

  expect((await request.post(`/api/v1/runs/${run.id}/cancel`, { headers })).status()).toBe(202);
  const ended = (await waitForRunStatus(request, team.apiKey, run.id)) as unknown as {
    status: string;
    waitingUntil: string | null;
    steps: Step[];
  };
  expect(ended).toMatchObject({ status: 'cancelled', waitingUntil: null });
  expect(ended.steps).toEqual([expect.objectContaining({ key: 'pause', status: 'cancelled', wakeAt })]);
});
