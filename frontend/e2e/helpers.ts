import { expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL || 'admin@e2e.test';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || 'e2e-Admin-pass-1';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = process.env.E2E_ARTIFACTS_DIR || path.join(here, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
let counter = 0;

/** A unique email per test run, so re-running against the same database never collides. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${run}-${counter}@e2e.test`;
}

export const PASSWORD = 'Correct-horse-7-battery';

export async function signUp(page: Page, opts: { name: string; email: string; role: 'student' | 'teacher'; password?: string }) {
  await page.goto('/signup');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByRole('radio', { name: opts.role === 'teacher' ? /I want to teach/ : /I want to learn/ }).click();
  await page.getByLabel('Full name').fill(opts.name);
  await page.getByLabel('Email').fill(opts.email);
  await page.getByLabel('Password', { exact: false }).first().fill(opts.password ?? PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/home$/);
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/home$/);
}

export async function logOut(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText('You have signed out.')).toBeVisible();
}

/** The names of the links in the main navigation, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

/**
 * Wait (up to 3 s) for finite animations and transitions to end: axe measures contrast on what
 * is painted at that instant, and a notification fading in or out reads as 1.2:1. Endless
 * ones (spinners) are not waited for.
 */
export async function settleAnimations(page: Page) {
  await page.evaluate(async () => {
    const deadline = Date.now() + 3000;
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    // Loop: a notification mounted a moment after a click starts its transition late, so one
    // look at getAnimations() can miss it. Stop once two frames pass with nothing finite running.
    while (Date.now() < deadline) {
      await frame();
      const finite = document
        .getAnimations()
        .filter((a) => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().iterations ?? Infinity));
      if (finite.length === 0) return;
      await Promise.race([
        Promise.all(finite.map((a) => a.finished.catch(() => undefined))),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
      ]);
    }
  });
}

/** axe-core on the current page; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string) {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  // For contrast failures axe's data names the colours and the ratio it measured.
  const describe = (n: (typeof bad)[number]['nodes'][number]) => {
    const data = n.any[0]?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
    const colours = data?.contrastRatio ? ` [${data.fgColor} on ${data.bgColor}: ${data.contrastRatio}]` : '';
    return `${n.target.join(' ')}${colours}`;
  };
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map(describe).slice(0, 5).join('\n  ')}`);
  expect(report, `axe violations on ${label}`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 780 };

/** axe and a full-page screenshot at desktop and phone width (nothing sideways), then back. */
export async function look(page: Page, name: string, { settle = 150 }: { settle?: number } = {}) {
  // From the top, so the fixed header does not land mid-page in the full-page screenshots.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(settle);
  await expectAccessible(page, `${name} at 1280px`);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(settle);
  await expectAccessible(page, `${name} at 360px`);
  // Nothing may stick out sideways on a phone; name the culprits if something does.
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= limit) return [];
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${el.getBoundingClientRect().right}`);
  });
  expect(wide, `${name} scrolls sideways at 360px`).toEqual([]);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(settle);
}

/** An API call with a Bearer token that must succeed; its JSON body. */
export async function apiCall<T>(request: APIRequestContext, token: string, method: string, url: string, data?: unknown): Promise<T> {
  const response = await request.fetch(url, { method, data, headers: { Authorization: `Bearer ${token}` } });
  expect(response.ok(), `${method} ${url} → ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** The CSRF header for API writes made with the page's session cookies. */
export async function csrf(page: Page): Promise<Record<string, string>> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'csrf_access_token');
  return { 'X-CSRF-TOKEN': cookie?.value ?? '' };
}

/** A test-pattern clip with a tone, made by Debian's ffmpeg. */
export function makeClip({ seconds = 5, size = '640x360', name = 'lesson-one.mp4' } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathshala-e2e-'));
  const clip = path.join(dir, name);
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=${size}:rate=25`,
    '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-shortest', clip,
  ]);
  return clip;
}

/**
 * Collect the page's Content-Security-Policy violations (the browser reports each on the
 * console); a spec asserts the list stays empty, so a policy that breaks the SPA fails.
 */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
