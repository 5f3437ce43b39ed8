import { expect, test } from '@playwright/test';
import { logIn, logOut, navLabels, PASSWORD, screenshot, signUp, uniqueEmail } from './helpers';

test.describe('sign-up, log-in and the role shells', () => {
  test('a student signs up, logs out and logs back in to the student shell', async ({ page }) => {
    const email = uniqueEmail('student');
    await signUp(page, { name: 'Meera Student', email, role: 'student' });

    await expect(page.getByTestId('home-student')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Meera' })).toBeVisible();
    await expect(page.getByTestId('role-badge')).toHaveText('Student');
    expect(await navLabels(page)).toEqual(['Home', 'Courses', 'My courses', 'Certificates', 'Purchases', 'Account']);
    await expect(page).toHaveTitle('Home · Pathshala');

    await logOut(page);
    await logIn(page, email, PASSWORD);
    await expect(page.getByTestId('home-student')).toBeVisible();
    await expect(page.getByTestId('role-badge')).toHaveText('Student');

    // The session survives a reload: it lives in cookies, not in page memory or storage.
    await page.reload();
    await expect(page.getByTestId('home-student')).toBeVisible();
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(storage).toEqual({ local: 0, session: 0 });
  });

  test('a teacher signs up to a shell that differs from the student one', async ({ page }) => {
    await signUp(page, { name: 'Ravi Teacher', email: uniqueEmail('teacher'), role: 'teacher' });

    await expect(page.getByTestId('home-teacher')).toBeVisible();
    await expect(page.getByTestId('role-badge')).toHaveText('Teacher');
    await expect(page.getByRole('heading', { level: 2, name: 'What you can do as a teacher' })).toBeVisible();
    await expect(page.getByText('What you can do as a student')).toHaveCount(0);
    expect(await navLabels(page)).toEqual(['Home', 'Courses', 'My courses', 'Certificates', 'Purchases', 'Studio', 'Account']);

    // Admin pages answer with a 403 page inside the shell.
    await page.goto('/admin/users');
    await expect(page.getByTestId('forbidden-page')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByTestId('role-badge')).toBeVisible();
  });

  test('without VITE_GOOGLE_CLIENT_ID there is no Google button', async ({ page }) => {
    test.skip(Boolean(process.env.VITE_GOOGLE_CLIENT_ID), 'the SPA was built with a Google client id');
    let gsiRequested = false;
    page.on('request', (r) => {
      if (r.url().includes('accounts.google.com')) gsiRequested = true;
    });
    for (const path of ['/login', '/signup']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByTestId('google-sign-in')).toHaveCount(0);
      await expect(page.getByRole('button', { name: /google/i })).toHaveCount(0);
    }
    expect(gsiRequested).toBe(false);
  });

  test('a wrong password shows an error and keeps the visitor on the log-in page', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: "Couldn't log you in" });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('That email and password combination is not right.');
    await expect(page).toHaveURL(/\/login$/);
    await screenshot(page, 'login-error-desktop');
  });

  test('the log-in form checks its fields before sending', async ({ page }) => {
    let posted = false;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/login')) posted = true;
    });
    await page.goto('/login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByText('Enter your email address')).toBeVisible();
    await expect(page.getByText('Enter your password')).toBeVisible();
    expect(posted).toBe(false);
  });

  test('forgot password always answers with the same neutral message', async ({ page }) => {
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(uniqueEmail('unknown'));
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const sent = page.getByTestId('forgot-sent');
    await expect(sent).toBeVisible();
    await expect(sent).toContainText('If an account exists for');
    await expect(sent).toContainText('we sent a link to reset its password');
    await screenshot(page, 'forgot-password-sent-desktop');
  });

  test('a reset link with a bad token explains what to do', async ({ page }) => {
    await page.goto('/reset-password?token=not-a-real-token');
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('another-Good-pass-9');
    await page.getByLabel('Repeat new password').fill('another-Good-pass-9');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert').filter({ hasText: "This reset link can't be used" })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Request a new link' })).toBeVisible();
  });

  test('signed-out visitors are sent to log in and come back afterwards', async ({ page }) => {
    await page.goto('/account');
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
  });
});
