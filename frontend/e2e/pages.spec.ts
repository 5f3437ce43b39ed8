import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectAccessible, logIn, PASSWORD, screenshot, signUp, uniqueEmail, watchCsp } from './helpers';

/**
 * Every page of the foundation, signed out and as each role, at a phone width and a desktop
 * width: axe-core finds no serious or critical violation, nothing overflows sideways, and a
 * screenshot of each lands in the artifacts.
 */
const VIEWPORTS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

async function check(page: Page, label: string) {
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, label);
  // The page must not scroll sideways; when it does, name what sticks out (outside any
  // container that scrolls or clips on its own, like a wide table's scroll area).
  const sticking = await page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
      }
      return false;
    };
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
  expect(sticking, `${label} scrolls sideways`).toEqual([]);
  await screenshot(page, label);
}

const PUBLIC_PAGES: { path: string; name: string; ready: (page: Page) => Promise<void> }[] = [
  { path: '/', name: 'landing', ready: async (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/login', name: 'login', ready: async (p) => expect(p.getByRole('button', { name: 'Log in' })).toBeVisible() },
  { path: '/signup', name: 'signup', ready: async (p) => expect(p.getByRole('button', { name: 'Create account' })).toBeVisible() },
  { path: '/forgot-password', name: 'forgot-password', ready: async (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/reset-password', name: 'reset-password-no-token', ready: async (p) => expect(p.getByRole('alert')).toBeVisible() },
  { path: '/reset-password?token=abc', name: 'reset-password', ready: async (p) => expect(p.getByRole('button', { name: 'Change password' })).toBeVisible() },
  { path: '/verify', name: 'verify', ready: async (p) => expect(p.getByLabel('Certificate code')).toBeVisible() },
  { path: '/verify/not-a-code', name: 'verify-bad-code', ready: async (p) => expect(p.getByTestId('verify-error')).toBeVisible() },
  { path: '/no/such/page', name: 'not-found', ready: async (p) => expect(p.getByTestId('not-found-page')).toBeVisible() },
];

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}px`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('public pages', async ({ page }) => {
      const csp = watchCsp(page);
      for (const spec of PUBLIC_PAGES) {
        await page.goto(spec.path);
        await spec.ready(page);
        await check(page, `${spec.name}-${viewport.name}`);
      }
      expect(csp, 'Content-Security-Policy violations').toEqual([]);
    });

    test('a student’s pages, and the admin page they may not open', async ({ page }) => {
      await signUp(page, { name: 'Asha Student', email: uniqueEmail(`pages-student-${viewport.name}`), role: 'student' });
      await expect(page.getByTestId('home-student')).toBeVisible();
      await check(page, `home-student-${viewport.name}`);
      if (viewport.name === 'phone') {
        // On a phone the navigation is a drawer behind the burger button.
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
        await check(page, `nav-drawer-student-${viewport.name}`);
        await page.getByRole('button', { name: 'Close navigation' }).click();
      }
      await page.goto('/account');
      await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
      await check(page, `account-${viewport.name}`);
      await page.goto('/certificates');
      await expect(page.getByTestId('certificates-empty')).toBeVisible();
      await check(page, `certificates-empty-${viewport.name}`);
      await page.goto('/learn');
      await expect(page.getByTestId('my-courses-empty')).toBeVisible();
      await page.getByTestId('notifications-bell').click();
      await expect(page.getByRole('dialog', { name: 'Notifications' })).toBeVisible();
      await check(page, `notifications-empty-${viewport.name}`);
      await page.keyboard.press('Escape');
      await page.goto('/admin/users');
      await expect(page.getByTestId('forbidden-page')).toBeVisible();
      await check(page, `forbidden-${viewport.name}`);
    });

    test('a teacher’s and an admin’s pages', async ({ page }) => {
      await signUp(page, { name: 'Ravi Teacher', email: uniqueEmail(`pages-teacher-${viewport.name}`), role: 'teacher', password: PASSWORD });
      await expect(page.getByTestId('home-teacher')).toBeVisible();
      await check(page, `home-teacher-${viewport.name}`);
      await page.context().clearCookies();

      await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
      await expect(page.getByTestId('home-admin')).toBeVisible();
      await check(page, `home-admin-${viewport.name}`);
      await page.goto('/admin/users');
      await expect(page.getByTestId('users-table')).toBeVisible();
      await check(page, `admin-users-${viewport.name}`);
      await page.goto('/admin/audit');
      await expect(page.getByTestId('audit-table').or(page.getByTestId('audit-empty'))).toBeVisible();
      await check(page, `admin-audit-${viewport.name}`);
    });
  });
}
