// The catalog in Chromium: search and filter, install server-memory with limits, test the connection,
// certify it and read the report (scores, evidence, latency chart), then see its tier badge in the catalog.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signUpAndIn } from './support/accounts';

test('browse, install with limits, test connection, certify and read the report', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await signUpAndIn(page, { email: `catalog-${randomUUID().slice(0, 8)}@example.test`, password: 'correct-horse-battery', name: 'Catalog Tester' });
  await expect(page).toHaveURL(/\/servers$/);

  await page.goto('/catalog');
  await expect(page.locator('[data-testid=catalog-item]')).not.toHaveCount(0);
  await page.getByTestId('catalog-search').fill('memory');
  await page.getByTestId('catalog-filter-submit').click();
  await expect(page).toHaveURL(/q=memory/);
  await expect(page.locator('[data-testid=catalog-item]')).toHaveCount(1);
  await page.getByTestId('catalog-transport').selectOption('http');
  await page.getByTestId('catalog-filter-submit').click();
  await expect(page.getByTestId('catalog-empty')).toBeVisible();

  await page.goto('/catalog/server-memory');
  await expect(page.getByTestId('catalog-server-name')).toHaveText('Memory (knowledge graph)');
  await page.getByTestId('install-timeout').fill('5000');
  await page.getByTestId('install-concurrency').fill('2');
  await page.getByTestId('install-submit').click();
  await expect(page).toHaveURL(/\/servers\/memory$/);
  await expect(page.getByTestId('installation-limits')).toContainText('"maxConcurrency": 2');

  await page.getByTestId('test-connection-button').click();
  await expect(page.locator('[data-testid=test-connection-result][data-ok=true]')).toContainText(
    /initialize [\d.]+ ms, tools\/list [\d.]+ ms, \d+ tools/,
    {
      timeout: 60_000,
    },
  );

  await page.goto('/catalog/server-memory');
  await page.getByTestId('certify-button').click();
  await page.getByTestId('certify-result').click({ timeout: 120_000 });
  await expect(page).toHaveURL(/\/catalog\/reports\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('score-reliability')).toBeVisible();
  await expect(page.locator('[data-testid=report-check][data-check=no_prompt_injection][data-passed=true]')).toBeVisible();
  await expect(page.getByTestId('latency-chart').locator('svg.recharts-surface')).toBeVisible();
  await page.screenshot({ path: path.join(testInfo.outputDir, 'certification-report.png'), fullPage: true });

  await page.goto('/catalog?q=memory');
  await expect(page.locator('[data-testid=catalog-item][data-slug=server-memory] [data-testid=tier-badge]')).not.toHaveAttribute(
    'data-tier',
    'unverified',
  );
});
