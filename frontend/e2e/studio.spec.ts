import { expect, test, type Locator, type Page } from '@playwright/test';
import { csrf, expectAccessible, logIn, PASSWORD, screenshot, signUp, uniqueEmail } from './helpers';

/**
 * The teacher studio (issue 3): a teacher builds a course with two sections, three lessons and
 * classwork, reorders lessons with the buttons, publishes; a student, in their own browser,
 * finds it by search, enrolls and hands in work; the teacher grades it and the student sees the
 * grade and feedback. Another teacher cannot edit the course. Archive and
 * the "has enrollments" delete rule are exercised. Every page and tab is checked with axe and
 * captured at 1280 and 360 px.
 */
test.describe.configure({ mode: 'serial' });

const teacherEmail = uniqueEmail('studio-teacher');
let courseId = '';
let courseSlug = '';
let classworkId = '';

async function capture(page: Page, name: string) {
  await expectAccessible(page, `${name} (1280 px)`);
  // Full-page shots from the top, so the fixed header sits where a person sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, `studio-${name}-1280`);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(200);
  await expectAccessible(page, `${name} (360 px)`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, `studio-${name}-360`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(100);
}

async function lessonTitles(page: Page): Promise<string[]> {
  return (await page.getByTestId('lesson-title').allInnerTexts()).map((t) => t.trim());
}

async function sectionSummary(page: Page): Promise<string[]> {
  const sections = page.getByTestId('lesson-section');
  const out: string[] = [];
  for (const section of await sections.all()) {
    const title = (await section.getByRole('heading', { level: 3 }).innerText()).trim();
    const lessons = (await section.getByTestId('lesson-title').allInnerTexts()).map((t) => t.trim());
    out.push(`${title}: ${lessons.join(' | ')}`);
  }
  return out;
}

async function waitForOrderSaved(page: Page) {
  await expect(page.getByText('Saving order…')).toHaveCount(0);
}

async function addLesson(page: Page, opts: { title: string; section: string; length: string; preview?: boolean }) {
  await page.getByRole('button', { name: 'Add lesson', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a lesson' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Lesson title').fill(opts.title);
  await dialog.getByRole('textbox', { name: 'Section' }).fill(opts.section);
  await dialog.getByLabel('Length').fill(opts.length);
  if (opts.preview) await dialog.getByRole('checkbox', { name: 'Free preview' }).check();
  await dialog.getByRole('button', { name: 'Add lesson' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('lesson-title').filter({ hasText: opts.title })).toBeVisible();
}

function tab(page: Page, name: string): Locator {
  return page.getByRole('tab', { name });
}

test('a teacher builds, publishes and grades a course in the studio', async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);

  await test.step('sign up and open an empty studio', async () => {
    await signUp(page, { name: 'Asha Teacher', email: teacherEmail, role: 'teacher' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Studio' }).click();
    await expect(page).toHaveURL(/\/studio$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Studio' })).toBeVisible();
    await expect(page.getByTestId('studio-empty')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Create your first course' })).toBeVisible();
    await capture(page, 'empty');
  });

  await test.step('create a course with a price in rupees', async () => {
    await page.getByTestId('studio-empty').getByRole('link', { name: 'Create your first course' }).click();
    await expect(page).toHaveURL(/\/studio\/courses\/new$/);
    await expect(page.getByRole('heading', { level: 1, name: 'New course' })).toBeVisible();
    // Checked before sending.
    await page.getByLabel('Price (₹)').fill('abc');
    await page.getByRole('button', { name: 'Create course' }).click();
    await expect(page.getByText('Give the course a title')).toBeVisible();
    await expect(page.getByText(/Enter the price as a number of rupees/)).toBeVisible();
    await capture(page, 'new-course-errors');

    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Hindustani Vocal for Beginners');
    await page.getByLabel('Subtitle').fill('Find your voice with ragas, one note at a time');
    await page.getByLabel('Description').fill('Learn to sing **Raga Yaman** from scratch.\n\n- Breathing\n- Swaras\n- Your first bandish\n\n<script>alert(1)</script>');
    await page.getByRole('textbox', { name: 'Category' }).fill('Music');
    await page.getByLabel('Level').selectOption('beginner');
    await page.getByRole('textbox', { name: 'Language' }).fill('Hindi');
    await page.getByLabel('Price (₹)').fill('1499.50');
    await expect(page.getByText('Students pay ₹1,499.50.')).toBeVisible();
    await page.getByRole('button', { name: 'Create course' }).click();

    await expect(page).toHaveURL(/\/studio\/courses\/[0-9a-f-]{36}\?tab=lessons$/);
    courseId = /courses\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    expect(courseId).not.toBe('');
    await expect(page.getByRole('heading', { level: 1, name: 'Hindustani Vocal for Beginners' })).toBeVisible();
    await expect(page.getByTestId('course-status').first()).toHaveText('Draft');

    const stored = await page.request.get(`/api/courses/${courseId}`);
    expect(stored.status()).toBe(200);
    const body = await stored.json();
    expect(body.price).toBe(149950);
    expect(body.currency).toBe('INR');
    expect(body.is_published).toBe(false);
    expect(body.language).toBe('Hindi');
    expect(body.description_html).not.toContain('<script>');
    courseSlug = body.slug;
  });

  await test.step('add three lessons in two sections', async () => {
    await expect(tab(page, 'Lessons')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('lessons-empty')).toBeVisible();
    await capture(page, 'lessons-empty');

    await addLesson(page, { title: 'Welcome and warm-up', section: 'Getting started', length: '2:30', preview: true });
    await addLesson(page, { title: 'Tuning your tanpura', section: 'Getting started', length: '10:00' });
    await addLesson(page, { title: 'First swaras: Sa Re Ga', section: 'Basics', length: '12:45' });
    expect(await sectionSummary(page)).toEqual([
      'Getting started: Welcome and warm-up | Tuning your tanpura',
      'Basics: First swaras: Sa Re Ga',
    ]);
    await expect(page.getByText('3 lessons in 2 sections')).toBeVisible();
    await capture(page, 'lessons');
  });

  await test.step('reorder with the buttons (mouse, then keyboard) and the order survives a reload', async () => {
    await page.getByRole('button', { name: 'Move Welcome and warm-up down' }).click();
    await waitForOrderSaved(page);
    expect(await lessonTitles(page)).toEqual(['Tuning your tanpura', 'Welcome and warm-up', 'First swaras: Sa Re Ga']);
    // Focus stays on the button, so the keyboard can keep moving the lesson: into the next section.
    await expect(page.getByRole('button', { name: 'Move Welcome and warm-up down' })).toBeFocused();
    await page.keyboard.press('Enter');
    await waitForOrderSaved(page);
    expect(await sectionSummary(page)).toEqual([
      'Getting started: Tuning your tanpura',
      'Basics: Welcome and warm-up | First swaras: Sa Re Ga',
    ]);
    await expect(page.getByTestId('lessons-announcer')).toContainText('Welcome and warm-up moved down into Basics');
    // And back up with Space from the other button.
    await page.getByRole('button', { name: 'Move Welcome and warm-up up' }).focus();
    await page.keyboard.press('Space');
    await waitForOrderSaved(page);
    expect(await sectionSummary(page)).toEqual([
      'Getting started: Tuning your tanpura | Welcome and warm-up',
      'Basics: First swaras: Sa Re Ga',
    ]);

    await page.reload();
    await expect(page.getByTestId('lesson-title')).toHaveCount(3);
    expect(await sectionSummary(page)).toEqual([
      'Getting started: Tuning your tanpura | Welcome and warm-up',
      'Basics: First swaras: Sa Re Ga',
    ]);
    const outline = await (await page.request.get(`/api/courses/${courseId}/lessons`)).json();
    expect(outline.map((l: { title: string; section_title: string; position: number }) => [l.position, l.section_title, l.title])).toEqual([
      [1, 'Getting started', 'Tuning your tanpura'],
      [2, 'Getting started', 'Welcome and warm-up'],
      [3, 'Basics', 'First swaras: Sa Re Ga'],
    ]);
    await capture(page, 'lessons-reordered');
  });

  await test.step('edit a lesson in its modal', async () => {
    await page.getByRole('button', { name: 'Edit First swaras: Sa Re Ga' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit lesson' });
    await expect(dialog.getByLabel('Length')).toHaveValue('12:45');
    await dialog.getByLabel('Length').fill('13:75');
    await dialog.getByRole('button', { name: 'Save lesson' }).click();
    await expect(dialog.getByText('Seconds must be between 0 and 59')).toBeVisible();
    await capture(page, 'lesson-edit-modal');
    await dialog.getByLabel('Length').fill('13:05');
    await dialog.getByRole('button', { name: 'Save lesson' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('lesson-row').filter({ hasText: 'First swaras' })).toContainText('13:05');
  });

  await test.step('add classwork', async () => {
    await tab(page, 'Classwork').click();
    await expect(page).toHaveURL(/tab=classwork/);
    await expect(page.getByTestId('classwork-empty')).toBeVisible();
    await capture(page, 'classwork-empty');
    await page.getByRole('button', { name: 'New classwork' }).click();
    const dialog = page.getByRole('dialog', { name: 'New classwork' });
    await dialog.getByRole('textbox', { name: 'Title', exact: true }).fill('Week 1: record Sa Re Ga');
    await dialog.getByLabel('Instructions').fill('Record yourself singing Sa Re Ga Ma Pa slowly, twice. Describe what felt hard.');
    await dialog.getByLabel('Due').fill('2030-06-01T18:00');
    await dialog.getByLabel('Max points').fill('10');
    await dialog.getByRole('button', { name: 'Create classwork' }).click();
    await expect(dialog).toBeHidden();
    const item = page.getByTestId('classwork-item').filter({ hasText: 'Week 1: record Sa Re Ga' });
    await expect(item).toBeVisible();
    await expect(item).toContainText('10 points');
    await expect(item).toContainText('Due 1 Jun 2030');
    await capture(page, 'classwork');
    const list = await (await page.request.get(`/api/courses/${courseId}/classwork`)).json();
    expect(list).toHaveLength(1);
    expect(list[0].max_points).toBe(10);
    classworkId = list[0].id;
  });

  await test.step('make it free, preview the description and publish', async () => {
    await tab(page, 'Details').click();
    await expect(page).toHaveURL(/tab=details/);
    await expect(page.getByLabel('Price (₹)')).toHaveValue('1499.50');
    await page.getByLabel('Price (₹)').fill('0');
    await expect(page.getByText('This course is free: students enroll without paying.')).toBeVisible();
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect(page.getByText('Details saved')).toBeVisible();
    expect((await (await page.request.get(`/api/courses/${courseId}`)).json()).price).toBe(0);

    const view = page.getByRole('radiogroup', { name: 'Write or preview' });
    await view.getByText('Preview', { exact: true }).click();
    await expect(view.getByRole('radio', { name: 'Preview' })).toBeChecked();
    const preview = page.getByTestId('description-preview');
    await expect(preview.locator('strong')).toHaveText('Raga Yaman');
    await expect(preview).toContainText('<script>alert(1)</script>');
    await view.getByText('Write', { exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Description' })).toBeVisible();

    await page.getByRole('switch', { name: 'Published' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this course?' });
    await expect(dialog).toContainText('it appears in the catalog');
    await expect(dialog).toContainText('anyone signed in can enroll for free');
    await capture(page, 'publish-dialog');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('course-status').first()).toHaveText('Published');
    await expect(page.getByRole('switch', { name: 'Published' })).toBeChecked();
    await expect(page.getByRole('link', { name: 'View public page' })).toHaveAttribute('href', `/courses/${courseSlug}`);
    await capture(page, 'details-published');
    expect((await (await page.request.get(`/api/courses/${courseId}`)).json()).is_published).toBe(true);
  });

  // The student works in their own browser context (own cookies) beside the teacher's.
  const studentContext = await browser.newContext({ baseURL });
  const student = await studentContext.newPage();

  await test.step('a student finds the course by search, enrolls and hands in the classwork', async () => {
    await signUp(student, { name: 'Meera Student', email: uniqueEmail('studio-student'), role: 'student' });
    await student.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Courses', exact: true }).click();
    await student.getByRole('textbox', { name: 'Search courses' }).fill('Hindustani vocal');
    await expect(student).toHaveURL(/[?&]q=Hindustani/);
    await student.getByRole('link', { name: 'Hindustani Vocal for Beginners' }).click();
    await expect(student.getByRole('heading', { level: 1, name: 'Hindustani Vocal for Beginners' })).toBeVisible();
    await student.getByRole('button', { name: 'Enroll free' }).click();
    await student.getByRole('link', { name: 'Go to course' }).click();
    await student.getByRole('tab', { name: 'Classwork' }).click();
    const item = student.getByTestId('classwork-item').filter({ hasText: 'Week 1: record Sa Re Ga' });
    await item.getByRole('textbox', { name: /Your answer/ }).fill('I recorded it twice. Holding Re steady was the hardest part.');
    await item.getByRole('button', { name: 'Submit' }).click();
    await expect(item.getByTestId('classwork-status')).toHaveText('Submitted');
  });

  await test.step('the teacher grades the submission with feedback', async () => {
    await tab(page, 'Submissions').click();
    await expect(page).toHaveURL(new RegExp(`tab=submissions&classwork=${classworkId}`));
    const card = page.getByTestId('submission').filter({ hasText: 'Meera Student' });
    await expect(card).toContainText('Holding Re steady was the hardest part.');
    await expect(card.getByTestId('submission-status')).toHaveText('To grade');
    await capture(page, 'submissions');

    await card.getByLabel(/Points/).fill('11');
    await card.getByRole('button', { name: 'Save grade' }).click();
    await expect(card.getByText('Use a number from 0 to 10')).toBeVisible();
    await card.getByLabel(/Points/).fill('8');
    await card.getByLabel('Feedback').fill('Lovely tone on Sa. Keep Re a little lower and steadier.');
    await card.getByRole('button', { name: 'Save grade' }).click();
    await expect(card.getByTestId('submission-status')).toHaveText('Graded 8 / 10');
    await expect(card.getByTestId('submission-feedback')).toHaveText('Lovely tone on Sa. Keep Re a little lower and steadier.');
    await capture(page, 'submissions-graded');

    const submissions = await (await page.request.get(`/api/classwork/${classworkId}/submissions`)).json();
    expect(submissions).toHaveLength(1);
    expect(submissions[0]).toMatchObject({ grade: 8, is_graded: true, feedback: 'Lovely tone on Sa. Keep Re a little lower and steadier.' });

    // Re-grading is allowed by the API and offered in the UI.
    await card.getByRole('button', { name: 'Change grade for Meera Student' }).click();
    await card.getByLabel(/Points/).fill('9');
    await card.getByRole('button', { name: 'Update grade' }).click();
    await expect(card.getByTestId('submission-status')).toHaveText('Graded 9 / 10');
    expect((await (await page.request.get(`/api/classwork/${classworkId}/submissions`)).json())[0].grade).toBe(9);

    // Leaving the tab keeps you where you went (the submissions panel stays mounted behind it).
    await tab(page, 'Details').click();
    await expect(page).toHaveURL(/tab=details$/);
    await expect(tab(page, 'Details')).toHaveAttribute('aria-selected', 'true');
    // Back and forward move between tabs.
    await page.goBack();
    await expect(tab(page, 'Submissions')).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('the student sees the grade and the feedback', async () => {
    await student.reload();
    const item = student.getByTestId('classwork-item').filter({ hasText: 'Week 1: record Sa Re Ga' });
    await expect(item.getByTestId('classwork-status')).toHaveText('Graded');
    await expect(item.getByTestId('classwork-grade')).toContainText('9 / 10 points');
    await expect(item.getByTestId('classwork-feedback')).toHaveText('Lovely tone on Sa. Keep Re a little lower and steadier.');
    await expectAccessible(student, 'student classwork graded');
    await studentContext.close();
  });

  await test.step('the Students tab lists who enrolled and how', async () => {
    await tab(page, 'Students').click();
    await expect(page).toHaveURL(/tab=students/);
    const row = page.getByTestId('student-row').filter({ hasText: 'Meera Student' });
    await expect(row).toContainText('Free enrollment');
    await expect(row).toContainText('Active');
    await page.getByLabel('Search students').fill('nobody-by-this-name');
    await expect(page.getByTestId('students-empty')).toBeVisible();
    await page.getByLabel('Search students').fill('meera');
    await expect(page.getByTestId('student-row')).toHaveCount(1);
    await capture(page, 'students');
  });

  await test.step('the studio list shows the published course', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Studio' }).click();
    const row = page.getByTestId('studio-course').filter({ hasText: 'Hindustani Vocal for Beginners' });
    await expect(row).toContainText('Published');
    await expect(row).toContainText('3 lessons');
    await expect(row).toContainText('1 student');
    await expect(row).toContainText('Free');
    await capture(page, 'list');
  });
});

test("another teacher can't edit the course", async ({ page }) => {
  await signUp(page, { name: 'Kiran Other', email: uniqueEmail('studio-other'), role: 'teacher' });
  await page.goto('/studio');
  await expect(page.getByTestId('studio-empty')).toBeVisible();

  await page.goto(`/studio/courses/${courseId}?tab=lessons`);
  await expect(page.getByRole('heading', { level: 1, name: "You can't edit this course" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to your courses' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add lesson' })).toHaveCount(0);
  await capture(page, 'cant-edit');

  const patch = await page.request.patch(`/api/courses/${courseId}`, { data: { title: 'Taken over' }, headers: await csrf(page) });
  expect(patch.status()).toBe(403);
  expect((await patch.json()).code).toBe('not_course_owner');
  expect((await (await page.request.get(`/api/courses/${courseId}`)).json()).title).toBe('Hindustani Vocal for Beginners');
});

test('a course with students is archived, not deleted; an empty one is deleted', async ({ page }) => {
  await logIn(page, teacherEmail, PASSWORD);
  await page.goto(`/studio/courses/${courseId}`);
  await expect(tab(page, 'Details')).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('button', { name: 'Delete course' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('removed for good');
  await dialog.getByRole('button', { name: 'Delete course' }).click();
  await expect(page.getByRole('dialog', { name: "This course can't be deleted" })).toBeVisible();
  await expect(dialog.getByTestId('delete-blocked')).toContainText('Students have enrolled');
  await capture(page, 'delete-blocked');
  expect((await page.request.get(`/api/courses/${courseId}`)).status()).toBe(200);

  await dialog.getByRole('button', { name: 'Archive instead' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('course-status').first()).toHaveText('Archived');
  expect((await (await page.request.get(`/api/courses/${courseId}`)).json()).archived_at).not.toBeNull();
  await capture(page, 'archived');

  await page.getByRole('button', { name: 'Unarchive' }).click();
  await expect(page.getByTestId('course-status').first()).toHaveText('Published');
  expect((await (await page.request.get(`/api/courses/${courseId}`)).json()).archived_at).toBeNull();

  // A course nobody enrolled in can be deleted.
  await page.goto('/studio/courses/new');
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Scratch course to delete');
  await page.getByLabel('Price (₹)').fill('0');
  await page.getByRole('button', { name: 'Create course' }).click();
  await expect(page).toHaveURL(/tab=lessons$/);
  const scratchId = /courses\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  await tab(page, 'Details').click();
  await page.getByRole('button', { name: 'Delete course' }).click();
  await page.getByRole('dialog', { name: 'Delete this course?' }).getByRole('button', { name: 'Delete course' }).click();
  await expect(page).toHaveURL(/\/studio$/);
  await expect(page.getByText('Course deleted')).toBeVisible();
  await expect(page.getByTestId('studio-course').filter({ hasText: 'Scratch course to delete' })).toHaveCount(0);
  expect((await page.request.get(`/api/courses/${scratchId}`)).status()).toBe(404);
});
