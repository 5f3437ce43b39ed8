import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, PASSWORD, screenshot, signUp, uniqueEmail } from './helpers';

test('a student renames themself, changes their password and signs out of every device', async ({ page, browser }) => {
  const email = uniqueEmail('account');
  await signUp(page, { name: 'Meera Student', email, role: 'student' });

  // A second browser signed in as the same person: "sign out everywhere" must reach it.
  const otherDevice = await browser.newContext();
  const otherPage = await otherDevice.newPage();
  await logIn(otherPage, email, PASSWORD);

  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expectAccessible(page, 'account');
  await screenshot(page, 'account-desktop');

  // Profile: the new name shows in the account menu without a reload.
  const name = page.getByLabel('Full name');
  await name.fill('Meera Iyer');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('user-menu')).toHaveAccessibleName(/Meera Iyer/);
  await page.reload();
  await expect(page.getByLabel('Full name')).toHaveValue('Meera Iyer');

  // Wrong current password: the error sits on that field and nothing changes.
  const newPassword = 'Another-good-pass-77';
  await page.getByLabel('Current password').fill('not-my-password-1');
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
  await page.getByLabel('Repeat new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The current password is not right.')).toBeVisible();

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Use your new password next time you log in.')).toBeVisible();

  // Sign out everywhere: this browser lands on the login page, the other one loses its session.
  await page.getByRole('button', { name: 'Sign out of all devices' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out of all devices?' });
  await expectAccessible(page, 'account sign-out-everywhere dialog');
  await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await otherPage.goto('/account');
  await expect(otherPage).toHaveURL(/\/login\?next=%2Faccount$/);
  await otherDevice.close();

  // The old password no longer works; the new one does.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await logIn(page, email, newPassword);
});
