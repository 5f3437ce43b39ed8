import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, logIn, logOut, navLabels, screenshot, uniqueEmail } from './helpers';

test('an admin creates a teacher, finds them in the users table, and the teacher can log in', async ({ page }) => {
  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page.getByTestId('home-admin')).toBeVisible();
  expect(await navLabels(page)).toEqual(['Home', 'Courses', 'My courses', 'Certificates', 'Purchases', 'Studio', 'Users & teachers', 'Payments', 'Audit log', 'Account']);

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users & teachers' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Users & teachers' })).toBeVisible();
  await expect(page.getByTestId('users-table')).toBeVisible();
  await expect(page.getByTestId('users-table')).toContainText(ADMIN_EMAIL);

  const email = uniqueEmail('made-by-admin');
  const password = 'Teacher-pass-42x';
  const form = page.getByRole('form', { name: 'Add a teacher' });
  await form.getByLabel("Teacher's name").fill('Kavya Teacher');
  await form.getByLabel("Teacher's email").fill(email);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('button', { name: 'Create teacher' }).click();
  await expect(page.getByText('Teacher account created')).toBeVisible();

  await page.getByLabel('Search users').fill(email);
  const row = page.getByTestId('users-table').getByRole('row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Kavya Teacher');
  await expect(row).toContainText('Teacher');
  await expect(row).toContainText('Active');

  // The role filter narrows the list.
  await page.getByLabel('Search users').fill('');
  await page.getByRole('textbox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Admins' }).click();
  await expect(page.getByTestId('users-table')).toContainText(ADMIN_EMAIL);
  await expect(page.getByTestId('users-table')).not.toContainText(email);

  // Creating the same teacher twice puts the problem on the email field.
  await form.getByLabel("Teacher's name").fill('Kavya Again');
  await form.getByLabel("Teacher's email").fill(email);
  await form.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await form.getByRole('button', { name: 'Create teacher' }).click();
  await expect(form.getByText('An account with this email already exists')).toBeVisible();
  await screenshot(page, 'admin-users-after-create-desktop');

  await logOut(page);
  await logIn(page, email, password);
  await expect(page.getByTestId('home-teacher')).toBeVisible();
});
