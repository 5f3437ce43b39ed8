import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { csrf, expectAccessible, makeClip, PASSWORD, screenshot, signUp, uniqueEmail } from './helpers';

/**
 * Protected video (issue 5): a teacher uploads a generated 5 s clip through the browser and
 * watches it reach "Ready"; an enrolled student plays it (currentTime advances); a student who
 * did not enroll and an anonymous visitor get no playlist and no segment, not even with the
 * enrolled student's URL once it expired (the e2e server signs URLs for 20 s).
 */
test.describe.configure({ mode: 'serial' });

const teacherEmail = uniqueEmail('media-teacher');
const studentEmail = uniqueEmail('media-student');
let courseSlug = '';
let lessonId = '';
let copiedUrl = '';
let copiedSegment = '';

function makeImage(name: string, size: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathshala-e2e-'));
  const image = path.join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', image]);
  return image;
}

test('a teacher uploads a lesson video and watches it become ready', async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, { name: 'Meera Media', email: teacherEmail, role: 'teacher' });
  const headers = await csrf(page);
  const course = await page.request.post('/api/courses', {
    headers,
    data: { title: `Ragas on video ${Date.now()}`, price: 0, description: 'Watch and sing along.' },
  });
  expect(course.status()).toBe(201);
  const created = (await course.json()) as { id: string; slug: string };
  courseSlug = created.slug;
  const lesson = await page.request.post(`/api/courses/${created.id}/lessons`, {
    headers,
    data: { title: 'Sa, the first note', section_title: 'Week 1' },
  });
  expect(lesson.status()).toBe(201);
  lessonId = ((await lesson.json()) as { id: string }).id;
  const publish = await page.request.patch(`/api/courses/${created.id}`, { headers, data: { is_published: true } });
  expect(publish.status()).toBe(200);

  await page.goto(`/studio/courses/${created.id}`);
  await page.getByRole('tab', { name: /Lessons/ }).click();
  await page.getByRole('button', { name: /Edit.*Sa, the first note/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit lesson' });
  await expect(dialog.getByText('No video yet.', { exact: false })).toBeVisible();

  await dialog.getByTestId('video-file-input').setInputFiles(makeClip());
  // Either the bar is seen on its way, or the (small) upload already finished.
  await expect(dialog.getByTestId('video-status')).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId('video-status')).toHaveText(/Ready/, { timeout: 120_000 });
  await expect(dialog.getByText(/Students can watch it/)).toBeVisible();
  // A worksheet for the students of this lesson.
  await dialog.getByTestId('attachment-file-input').setInputFiles({ name: 'worksheet.txt', mimeType: 'text/plain', buffer: Buffer.from('Sa Re Ga Ma\n') });
  await expect(dialog.getByRole('link', { name: 'worksheet.txt' })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, 'lesson editor with a ready video');
  await screenshot(page, 'media-lesson-video-ready');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A cover image: previewed at once, then served as the stored WebP.
  await page.getByRole('tab', { name: /Details/ }).click();
  await page.getByTestId('thumbnail-file-input').setInputFiles(makeImage('cover.png', '1280x720'));
  const cover = page.getByRole('img', { name: "The course's cover image" });
  await expect(cover).toHaveAttribute('src', /^\/media\/public\/courses\/.+\.webp$/, { timeout: 30_000 });
  await expect.poll(() => cover.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(1280);
  await expectAccessible(page, 'course details with a cover');
  await screenshot(page, 'media-course-cover');

  // And a profile picture, shown in the header too.
  await page.goto('/account');
  await page.getByTestId('avatar-file-input').setInputFiles(makeImage('me.jpg', '640x480'));
  await expect(page.getByRole('img', { name: 'Your picture' })).toHaveAttribute('src', /^\/media\/public\/avatars\/.+\.webp$/, { timeout: 30_000 });
  await expectAccessible(page, 'account with a picture');
  await screenshot(page, 'media-account-picture');
});

test('an enrolled student plays the video', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, { name: 'Sana Student', email: studentEmail, role: 'student' });
  await page.goto(`/courses/${courseSlug}`);
  await page.getByRole('button', { name: 'Enroll free' }).click();
  await page.getByRole('link', { name: /Go to course|Continue learning/ }).click();
  await page.getByRole('link', { name: /Sa, the first note/ }).first().click();

  const player = page.getByTestId('lesson-video-player');
  await expect(player).toBeVisible();
  const urlAnswer = await page.request.get(`/api/lessons/${lessonId}/video-url`);
  expect(urlAnswer.status()).toBe(200);
  copiedUrl = ((await urlAnswer.json()) as { url: string }).url;
  const master = await page.request.get(copiedUrl);
  expect(master.status()).toBe(200);
  const variant = (await master.text()).split('\n').find((line) => line && !line.startsWith('#'))!;
  const variantUrl = new URL(variant, new URL(copiedUrl, page.url())).toString();
  const segment = (await (await page.request.get(variantUrl)).text()).split('\n').find((line) => line && !line.startsWith('#'))!;
  copiedSegment = new URL(segment, variantUrl).toString();
  expect((await page.request.get(copiedSegment)).status()).toBe(200);

  await player.evaluate((video: HTMLVideoElement) => {
    video.muted = true;
    return video.play();
  });
  await expect.poll(() => player.evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 30_000 }).toBeGreaterThan(1);
  await expectAccessible(page, 'lesson with video');
  await screenshot(page, 'media-student-playing');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'worksheet.txt' }).click()]);
  expect(download.suggestedFilename()).toBe('worksheet.txt');
  expect(readFileSync((await download.path())!, 'utf8')).toBe('Sa Re Ga Ma\n');
});

test('no playlist and no segment for an unenrolled student or a visitor, even with a copied URL', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signUp(page, { name: 'Nina Nosy', email: uniqueEmail('media-nosy'), role: 'student', password: PASSWORD });
  const asked = await page.request.get(`/api/lessons/${lessonId}/video-url`);
  expect(asked.status()).toBe(403);

  const visitor = await browser.newContext();
  const anonymous = await visitor.request.get(`/api/lessons/${lessonId}/video-url`);
  expect(anonymous.status()).toBe(401);

  // The copied URL is bound to the enrolled student and expires: once it has, nobody gets in.
  await page.waitForTimeout(22_000);
  for (const request of [page.request, visitor.request]) {
    expect([403, 410]).toContain((await request.get(copiedUrl)).status());
    expect([403, 410]).toContain((await request.get(copiedSegment)).status());
  }
  await visitor.close();
});
