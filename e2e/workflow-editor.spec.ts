// The workflow editor in Chromium: live validation with exact paths (Save disabled while invalid), the
// graph following the text, a second version saved through the editor, the v1 ↔ v2 diff, a run of v2 drawn
// as a Gantt chart, and another team seeing none of it.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signUpAndIn, type Account } from './support/accounts';
import { json, replaceEditorText } from './support/editor';

const id = randomUUID().slice(0, 8);
const owner = { email: `editor-${id}@example.test`, password: 'editor-password-123' };
const stranger = { email: `stranger-${id}@example.test`, password: 'stranger-password-123' };
const slug = `edit-me-${id}`;

const v1 = { steps: [{ id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'version one' } }] };
const v2 = {
  steps: [
    { id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: { message: 'version two' } },
    {
      id: 'each',
      type: 'map',
      items: '{{ [1, 2] }}',
      maxConcurrency: 2,
      steps: [{ id: 'inner', type: 'tool', server: 'everything', tool: 'echo', args: { message: '{{ "item " & $string($item) }}' } }],
    },
    { id: 'count', type: 'tool', server: 'everything', tool: 'get-sum', args: { a: 40, b: 2 } },
    // Times out twice (a wait between the attempts), then falls back to a value: the step ends degraded.
    {
      id: 'slow',
      type: 'tool',
      server: 'everything',
      tool: 'trigger-long-running-operation',
      args: { duration: 5, steps: 5 },
      timeout: '700ms',
      retry: { maxAttempts: 2, initialInterval: '500ms' },
      catch: { value: 'gave up' },
    },
  ],
};
/** v2 with an argument the tool's input schema refuses: only the server knows that schema. */
const v2WithBadArgument = { ...v2, steps: v2.steps.map((step) => (step.id === 'count' ? { ...step, args: { a: 'forty', b: 2 } } : step)) };

async function signUp(page: Page, account: Account) {
  await signUpAndIn(page, account);
  await expect(page).toHaveURL(/\/servers$/);
}

test.describe.configure({ mode: 'serial' });

/** Keeps a full-page screenshot as a test artifact (for reviewing the look). */
async function keepScreenshot(page: Page, name: string, testInfo: import('@playwright/test').TestInfo) {
  const file = path.join(import.meta.dirname, 'artifacts', `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test('edit a workflow with live validation and a graph, compare versions, run it and see the Gantt chart', async ({
  page,
  browser,
}, testInfo) => {
  await signUp(page, owner);
  await page.getByTestId('add-server-submit-server-everything').click();
  await expect(page).toHaveURL(/\/servers\/everything$/);
  await page.getByTestId('list-tools-button').click();
  await expect(page.getByTestId('live-tools').locator('[data-tool-name="get-sum"]')).toBeVisible({ timeout: 30_000 });

  // Version 1 through the editor on the "new workflow" page.
  await page.goto('/workflows/new');
  await page.getByTestId('workflow-name').fill('Edit me');
  await page.getByTestId('workflow-slug').fill(slug);
  await replaceEditorText(page, json(v1));
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  await expect(page.locator('[data-testid=workflow-graph] [data-testid=graph-node]')).toHaveCount(3); // start, say, end
  await page.getByTestId('workflow-submit').click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${slug}$`));
  await expect(page.getByTestId('version-row')).toHaveCount(1);

  // Edit: a JSON syntax error, then a server-side error at its exact path; Save stays disabled meanwhile.
  await page.getByTestId('edit-workflow-link').click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${slug}/edit$`));
  const save = page.getByTestId('workflow-submit');
  await replaceEditorText(page, '{ "steps": [ }');
  await expect(page.getByTestId('editor-problem').first()).toHaveAttribute('data-path', /^line 1:\d+$/);
  await expect(save).toBeDisabled();
  await expect(page.getByTestId('workflow-graph')).toHaveAttribute('data-stale', 'true');

  await replaceEditorText(page, json(v2WithBadArgument));
  const problem = page.locator('[data-testid=editor-problem][data-path="steps[2].args.a"]');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText('number');
  await expect(save).toBeDisabled();
  await expect(page.locator('[data-testid=graph-node][data-has-error=true]')).toHaveAttribute('data-step-path', 'steps[2]');
  await keepScreenshot(page, 'workflow-editor-error', testInfo);
  // Clicking the message selects the offending value in the editor.
  await problem.click();
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe('"forty"');

  // Fixed: no problems, the graph shows start, say, the map group with its inner step, count and end.
  await replaceEditorText(page, json(v2));
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  // start, say, the map's frame with its node and inner step, count, slow, end
  await expect(page.locator('[data-testid=workflow-graph] [data-testid=graph-node]')).toHaveCount(8);
  await expect(page.getByTestId('graph-status')).toHaveText('5 steps');
  await expect(page.locator('[data-testid=graph-node][data-kind=map]')).toContainText('≤ 2 at a time');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${slug}$`));

  // Version 2 is current; the diff of v1 → v2 shows the changed message as removed and added lines.
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(page.locator('[data-testid=version-row][data-version="2"] [data-testid=version-current]')).toBeVisible();
  await page.locator('[data-testid=version-row][data-version="1"] [data-testid=compare-with-current]').click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${slug}\\?from=1&to=2`));
  const diff = page.getByTestId('version-diff');
  await expect(diff.getByTestId('diff-removed').filter({ hasText: '"message": "version one"' })).toHaveCount(1);
  await expect(diff.getByTestId('diff-added').filter({ hasText: '"message": "version two"' })).toHaveCount(1);
  await expect(diff.getByTestId('diff-added').filter({ hasText: '"maxConcurrency": 2' })).toHaveCount(1);
  // The same pair through the URL, the other way round.
  await page.goto(`/workflows/${slug}?from=2&to=1`);
  await expect(page.getByTestId('diff-summary')).toContainText('v2 → v1');
  await keepScreenshot(page, 'workflow-versions', testInfo);
  await expect(page.getByTestId('version-diff').getByTestId('diff-removed').filter({ hasText: '"message": "version two"' })).toHaveCount(1);

  // Run v2: one Gantt row per step with its status; the map's items fold into a group that opens.
  await page.getByTestId('run-button').click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.locator('[data-testid=run-status][data-status=succeeded]')).toBeVisible({ timeout: 60_000 });
  const bar = (key: string, status: string) =>
    page.locator(`[data-testid=timeline-row][data-key="${key}"] [data-testid=timeline-bar][data-status=${status}]`);
  for (const key of ['say', 'each', 'count']) await expect(bar(key, 'succeeded')).toHaveCount(1);
  await expect(bar('inner[*]', 'succeeded')).toHaveCount(1);
  await expect(page.locator('[data-testid=timeline-row][data-key="inner[0]"]')).toHaveCount(0);
  await page.locator('[data-testid=timeline-group-toggle][data-group=inner]').click();
  for (const key of ['inner[0]', 'inner[1]']) await expect(bar(key, 'succeeded')).toHaveCount(1);
  await expect(page.getByTestId('timeline-chart')).toHaveAttribute('role', 'img');
  // The step that timed out: two failed attempts with the retry wait between them; the row is degraded.
  await expect(page.locator('[data-testid=timeline-row][data-key=slow]')).toHaveAttribute('data-status', 'degraded');
  await expect(bar('slow', 'failed')).toHaveCount(2);
  await expect(page.locator('[data-testid=timeline-row][data-key=slow] [data-testid=timeline-gap]')).toHaveCount(1);
  await bar('slow', 'failed').first().hover();
  await expect(page.getByTestId('timeline-tooltip')).toContainText('timeout');
  await expect(page.getByTestId('timeline-chart')).toHaveAttribute('aria-label', /4 succeeded, 1 degraded/);
  // queued, run, say, each, group, 2 items, count, 2 attempts of slow
  await expect(page.getByTestId('timeline-table').locator('tbody tr')).toHaveCount(10);
  await bar('count', 'succeeded').hover();
  await expect(page.getByTestId('timeline-tooltip')).toContainText('count');
  await expect(page.getByTestId('timeline-tooltip')).toContainText('succeeded');
  await keepScreenshot(page, 'run-gantt', testInfo);
  // The chart and its screen-reader table fit the page: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  // Another team: neither the editor nor the versions of this workflow exist for it.
  const strangerContext = await browser.newContext();
  const strangerPage = await strangerContext.newPage();
  await signUp(strangerPage, stranger);
  for (const path of [`/workflows/${slug}/edit`, `/workflows/${slug}?from=1&to=2`]) {
    await strangerPage.goto(path);
    await expect(strangerPage.getByTestId('not-found')).toBeVisible();
    await expect(strangerPage.getByTestId('version-diff')).toHaveCount(0);
  }
  await strangerContext.close();
});
