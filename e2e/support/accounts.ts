// Creating an account as a person does: sign up, then sign in (sign-up never signs in by itself, so it cannot tell
// a stranger which addresses are registered).
import { expect, type Page } from '@playwright/test';

export interface Account {
  email: string;
  password: string;
  name?: string;
}

/** Signs up and in; lands on `callbackUrl` (a new account's default is /servers). */
export async function signUpAndIn(page: Page, account: Account, callbackUrl?: string): Promise<void> {
  await page.goto(callbackUrl ? `/sign-up?${new URLSearchParams({ callbackUrl })}` : '/sign-up');
  await page.getByTestId('sign-up-name').fill(account.name ?? account.email.split('@')[0]!);
  await page.getByTestId('sign-up-email').fill(account.email);
  await page.getByTestId('sign-up-password').fill(account.password);
  await page.getByTestId('sign-up-submit').click();
  await expect(page).toHaveURL(/\/sign-in\?signedUp=1/);
  await page.getByTestId('sign-in-email').fill(account.email);
  await page.getByTestId('sign-in-password').fill(account.password);
  await page.getByTestId('sign-in-submit').click();
}

/** The reference server's absolute program path: the e2e stack allow-lists it for team entries. */
export function everythingBin(): string {
  const bin = process.env.E2E_EVERYTHING_BIN;
  if (!bin) throw new Error('E2E_EVERYTHING_BIN is not set: run the specs through the e2e stack (npm test).');
  return bin;
}
