import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, logIn, logOut, navLabels, PASSWORD, screenshot, signUp, uniqueEmail } from './helpers';

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

test('an admin bans a student signed in elsewhere, lifts the ban, promotes a teacher, and finds it all in the audit log', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const studentEmail = uniqueEmail('banned-student');
  const teacherEmail = uniqueEmail('promoted-teacher');
  const elsewhere = await browser.newContext();
  const student = await elsewhere.newPage();
  await signUp(student, { name: 'Bina Banned', email: studentEmail, role: 'student' });
  await signUp(page, { name: 'Tej Teacher', email: teacherEmail, role: 'teacher' });
  await page.context().clearCookies();

  await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/users');
  const table = page.getByTestId('users-table');
  const rowOf = (email: string) => table.getByRole('row').filter({ hasText: email });

  await page.getByLabel('Search users').fill(studentEmail);
  await rowOf(studentEmail).getByRole('button', { name: 'Actions for Bina Banned' }).click();
  await page.getByRole('menuitem', { name: 'Ban' }).click();
  const ban = page.getByRole('dialog', { name: 'Ban user' });
  await ban.getByLabel('Reason').fill('Posting spam in classwork');
  await expectAccessible(page, 'ban dialog');
  await ban.getByRole('button', { name: 'Ban user' }).click();
  await expect(rowOf(studentEmail)).toContainText('Suspended');
  await expect(rowOf(studentEmail)).toContainText('Posting spam in classwork');

  // The student's next request fails and the SPA says the account is suspended.
  await student.goto('/learn');
  await expect(student).toHaveURL(/\/login/);
  await expect(student.getByText('This account is suspended.', { exact: false })).toBeVisible();
  await expectAccessible(student, 'suspended notice');
  await screenshot(student, 'admin-suspended-login');

  await rowOf(studentEmail).getByRole('button', { name: 'Actions for Bina Banned' }).click();
  await page.getByRole('menuitem', { name: 'Unban' }).click();
  await expect(rowOf(studentEmail)).not.toContainText('Suspended');
  await logIn(student, studentEmail, PASSWORD);
  await elsewhere.close();

  await page.getByLabel('Search users').fill(teacherEmail);
  await rowOf(teacherEmail).getByRole('button', { name: 'Actions for Tej Teacher' }).click();
  await page.getByRole('menuitem', { name: 'Change role' }).click();
  const change = page.getByRole('dialog', { name: 'Change role' });
  await change.getByLabel('New role').selectOption('admin');
  await change.getByRole('button', { name: 'Change role' }).click();
  await expect(rowOf(teacherEmail)).toContainText('Admin');
  await screenshot(page, 'admin-users-moderated');

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Show').selectOption('user.');
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'Banned a user' }).filter({ hasText: 'reason: Posting spam in classwork' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Lifted a ban' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: 'Changed a role' }).filter({ hasText: 'teacher → admin' })).toHaveCount(1);
  await expectAccessible(page, 'audit log of user actions');
  await screenshot(page, 'admin-audit-users');
});
