import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, csrf, DESKTOP, logIn, look, makeClip, signUp, uniqueEmail, watchCsp } from './helpers';

/**
 * Learning progress and certificates (issues 5 and 6): a student watches a video lesson part
 * way, comes back to the same second, finishes it (ticked in the outline), marks a reading
 * lesson complete, and so completes the course: the certificate is issued, downloaded as a
 * PDF carrying its code, and an anonymous visitor verifies it; once an admin revokes it, the
 * verify page says so. The teacher's course is set up through the API.
 */
test.describe.configure({ mode: 'serial' });

const teacherEmail = uniqueEmail('learning-teacher');
const studentEmail = uniqueEmail('learning-student');
const title = `Ragas in Practice ${Date.now().toString(36)}`;
let courseSlug = '';
let certificateCode = '';

/** The teacher's course: a 24 s video lesson, then a reading lesson; published. */
async function setUpCourse(page: Page) {
  await signUp(page, { name: 'Pandit Ravi Kumar', email: teacherEmail, role: 'teacher' });
  const headers = await csrf(page);
  const post = async <T,>(url: string, data: unknown, method = 'POST'): Promise<T> => {
    const response = await page.request.fetch(url, { method, headers, data });
    expect(response.ok(), `${method} ${url} → ${response.status()} ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  };
  const course = await post<{ id: string; slug: string }>('/api/courses', { title, price: 0, description: 'Sing each raga with the drone.' });
  courseSlug = course.slug;
  const video = await post<{ id: string }>(`/api/courses/${course.id}/lessons`, { title: 'Listening to Yaman', section_title: 'Week 1' });
  await post(`/api/courses/${course.id}/lessons`, { title: 'Reading: the Yaman scale', section_title: 'Week 1', description: 'Ni Re Ga Ma(tivra) Pa Dha Ni Sa.' });
  await post(`/api/courses/${course.id}`, { is_published: true }, 'PATCH');

  const clip = readFileSync(makeClip({ seconds: 24, size: '320x180', name: 'yaman.mp4' }));
  const signed = await post<{ upload_id: string; url: string; headers: Record<string, string> }>('/api/uploads/sign', {
    filename: 'yaman.mp4',
    content_type: 'video/mp4',
    size: clip.length,
    purpose: 'lesson_video',
    lesson_id: video.id,
  });
  const sent = await page.request.put(signed.url, { headers: signed.headers, data: clip });
  expect(sent.status()).toBeLessThan(300);
  await post(`/api/uploads/${signed.upload_id}/complete`, {});
  await expect
    .poll(async () => ((await (await page.request.get(`/api/lessons/${video.id}/video`)).json()) as { status: string }).status, { timeout: 120_000 })
    .toBe('ready');
  await page.context().clearCookies();
}

/** The raw mails (headers and body) the e2e SMTP server filed for `to` (scripts/e2e.sh). */
function mailsTo(to: string): string[] {
  const maildir = process.env.E2E_MAILDIR ?? '';
  const fresh = path.join(maildir, 'new');
  if (!maildir || !existsSync(fresh)) return [];
  return readdirSync(fresh)
    .map((name) => readFileSync(path.join(fresh, name), 'utf8'))
    .filter((mail) => mail.includes(`To: ${to}`));
}

const player = (page: Page) => page.getByTestId('lesson-video-player');
const currentTime = (page: Page) => player(page).evaluate((video: HTMLVideoElement) => video.currentTime);

test('a student resumes a video, completes the course and gets a verifiable certificate', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await page.setViewportSize(DESKTOP);
  const csp = watchCsp(page);
  await setUpCourse(page);

  await test.step('the student joins the course and starts watching', async () => {
    await signUp(page, { name: 'Asha Rao', email: studentEmail, role: 'student' });
    await page.goto(`/courses/${courseSlug}`);
    await page.getByRole('button', { name: 'Enroll free' }).click();
    await page.getByRole('link', { name: 'Go to course' }).click();
    await expect(page).toHaveURL(new RegExp(`/learn/${courseSlug}/lessons/[\\w-]+$`));
    await expect(page.getByTestId('course-progress')).toContainText('0 of 2 lessons complete');
    await expect(page.getByText(/marked complete once you've watched 90%/)).toBeVisible();
    await player(page).evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      await video.play();
    });
    await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(9);
    // Pausing saves the position.
    const saved = page.waitForResponse((r) => r.url().includes('/progress') && r.request().method() === 'POST');
    await player(page).evaluate((video: HTMLVideoElement) => video.pause());
    expect((await saved).status()).toBe(200);
  });

  await test.step('coming back, the course opens at the same lesson and second', async () => {
    await page.goto('/learn');
    const card = page.getByTestId('course-card').filter({ hasText: title });
    await expect(card).toContainText('Continue');
    await expect(card).toContainText('0 of 2 lessons complete');
    await look(page, 'learning-my-courses');
    await card.getByRole('link', { name: title }).click();
    await expect(page.getByTestId('lesson-view').getByRole('heading', { name: 'Listening to Yaman' })).toBeVisible();
    await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(8);
    expect(await currentTime(page)).toBeLessThan(14);
  });

  await test.step('watching to the end completes the lesson and ticks it in the outline', async () => {
    await player(page).evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      video.playbackRate = 2;
      await video.play();
    });
    await expect(page.getByTestId('lesson-completed')).toBeVisible({ timeout: 40_000 });
    const outline = page.getByRole('navigation', { name: 'Course outline' });
    await expect(outline.getByRole('link', { name: /Listening to Yaman \(completed\)/ })).toBeVisible();
    await expect(page.getByTestId('course-progress')).toContainText('1 of 2 lessons complete');
    await look(page, 'learning-lesson-video-complete');
  });

  await test.step('the reading lesson completes by its button, and so does the course', async () => {
    await page.getByRole('link', { name: /Next lesson/ }).click();
    await expect(page.getByTestId('lesson-view').getByRole('heading', { name: 'Reading: the Yaman scale' })).toBeVisible();
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await expect(page.getByTestId('lesson-completed')).toBeVisible();
    await expect(page.getByTestId('course-progress')).toContainText('2 of 2 lessons complete');
    const banner = page.getByTestId('course-certificate');
    await expect(banner).toBeVisible();
    certificateCode = /PSH-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await banner.textContent()) ?? '')?.[0] ?? '';
    expect(certificateCode).not.toBe('');
    await look(page, 'learning-course-complete');
  });

  await test.step('the bell and the mailbox both say the certificate is ready', async () => {
    await page.reload();
    const bell = page.getByTestId('notifications-bell');
    await expect(bell).toHaveAccessibleName(/unread/);
    await bell.click();
    const menu = page.getByRole('dialog', { name: 'Notifications' });
    await expect(menu.getByText(`Your certificate for ${title}`)).toBeVisible();
    await look(page, 'learning-notifications');
    await expect
      .poll(() => mailsTo(studentEmail).some((mail) => mail.includes(`Subject: Your certificate for ${title}`)), { timeout: 30_000 })
      .toBe(true);
    await menu.getByText(`Your certificate for ${title}`).click();
    await expect(page).toHaveURL(/\/certificates$/);
  });

  await test.step('the certificate is listed and downloads as a PDF carrying its code', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'My certificates' })).toBeVisible();
    const card = page.getByTestId('certificate').filter({ hasText: title });
    await expect(card.getByTestId('certificate-code')).toHaveText(certificateCode);
    await look(page, 'learning-certificates');
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`pathshala-certificate-${certificateCode}.pdf`);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(certificateCode);
  });

  const visitor = await browser.newContext({ viewport: DESKTOP });
  const anonymous = await visitor.newPage();

  await test.step('an anonymous visitor verifies it, typing the code loosely', async () => {
    await anonymous.goto('/verify');
    await anonymous.getByLabel('Certificate code').fill(certificateCode.toLowerCase().replace(/-/g, ' '));
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    await expect(anonymous).toHaveURL(/\/verify\/PSH/);
    const result = anonymous.getByTestId('verification');
    await expect(result).toHaveAttribute('data-status', 'valid');
    await expect(result.getByRole('heading', { name: 'Valid certificate' })).toBeVisible();
    await expect(anonymous.getByTestId('verification-student')).toHaveText('Asha Rao');
    await expect(result).toContainText(title);
    await expect(result).toContainText('Pandit Ravi Kumar');
    await look(anonymous, 'learning-verify-valid');
    await anonymous.goto('/verify/PSH-0000-0000');
    await expect(anonymous.getByTestId('verify-error')).toContainText('No certificate has this code');
    await look(anonymous, 'learning-verify-unknown');
  });

  await test.step('an admin revokes it with a reason', async () => {
    await page.context().clearCookies();
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`/verify/${certificateCode}`);
    await page.getByRole('button', { name: 'Revoke certificate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke certificate' });
    await dialog.getByLabel('Reason').fill('Issued to the wrong account');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('verification')).toHaveAttribute('data-status', 'revoked');
    // The audit log keeps who revoked it and why.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' }).click();
    const entry = page.getByTestId('audit-row').filter({ hasText: certificateCode });
    await expect(entry).toContainText('Revoked a certificate');
    await expect(entry).toContainText('reason: Issued to the wrong account');
    await expect(entry).toContainText('E2E Admin');
    await look(page, 'learning-audit-log');
  });

  await test.step('the verify page now says revoked, and offers no PDF', async () => {
    await anonymous.reload();
    await anonymous.goto(`/verify/${certificateCode}`);
    const result = anonymous.getByTestId('verification');
    await expect(result).toHaveAttribute('data-status', 'revoked');
    await expect(result.getByRole('heading', { name: 'This certificate was revoked' })).toBeVisible();
    await expect(result.getByRole('link', { name: 'Download PDF' })).toHaveCount(0);
    await look(anonymous, 'learning-verify-revoked');
  });
  await visitor.close();
  // Video through hls.js (blob: media), Mantine's inline styles, the PDF download: all allowed.
  expect(csp, 'Content-Security-Policy violations').toEqual([]);
});
