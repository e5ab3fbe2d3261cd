// Drives the CodeMirror workflow editor: replaces its whole text as if pasted.
import { expect, type Page } from '@playwright/test';

export async function replaceEditorText(page: Page, text: string): Promise<void> {
  const content = page.locator('[data-testid=workflow-definition] .cm-content');
  await expect(content).toBeVisible();
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);
