import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiCall, DESKTOP, expectAccessible, look, PASSWORD, PHONE, screenshot, uniqueEmail } from './helpers';

/**
 * The learner's journey through the catalog, a course page, enrollment, the learning view and
 * classwork. The teacher's side is set up (and the grading done) through the API, so this spec
 * depends on the API contract only, not on the studio's screens.
 */


/** A word only this run's courses contain (in their descriptions), so searches see only them. */
const TAG = `zq${Date.now().toString(36)}`;

interface Course {
  id: string;
  slug: string;
  title: string;
}

async function setUpCourses(request: APIRequestContext) {
  const register = await request.post('/api/auth/register', {
    data: { email: uniqueEmail('learner-teacher'), password: PASSWORD, name: 'Ila Sen', role: 'teacher' },
  });
  expect(register.status()).toBe(201);
  const { access_token: token } = (await register.json()) as { access_token: string };

  const free = await apiCall<Course>(request, token, 'POST', '/api/courses', {
    title: 'Watercolour Basics',
    subtitle: 'Paint loose, luminous landscapes in three short lessons',
    description: [
      'Learn the **three washes** every watercolourist uses, then put them together in a sunset sky.',
      '',
      '- Flat, graded and wet-in-wet washes',
      '- Choosing paper and brushes on a budget',
      '- Layering colour without mud',
      '',
      `<script>alert("not run")</script> Course code ${TAG}.`,
    ].join('\n'),
    price: 0,
    level: 'beginner',
    category: 'Art',
    is_published: true,
  });
  const lessons = [
    { title: 'Your first wash', section_title: 'Getting started', is_free_preview: true, duration_seconds: 420, description: 'Wet the paper evenly, load the brush, and pull the colour down in overlapping strokes.\n\nLet it dry flat.' },
    { title: 'Brushes and paper', section_title: 'Getting started', duration_seconds: 540 },
    { title: 'Layering colour', section_title: 'Working with colour', duration_seconds: 780 },
  ];
  for (const lesson of lessons) await apiCall(request, token, 'POST', `/api/courses/${free.id}/lessons`, lesson);
  const dueAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  const classwork = await apiCall<{ id: string }>(request, token, 'POST', `/api/courses/${free.id}/classwork`, {
    title: 'Paint a sunset sky',
    instructions: 'Use a graded wash from orange to violet. Describe the colours you mixed and what you would change next time.',
    due_at: dueAt,
    max_points: 10,
  });

  const paid = await apiCall<Course>(request, token, 'POST', '/api/courses', {
    title: 'Botanical Illustration Masterclass',
    subtitle: 'Accurate, beautiful plant studies in pencil and watercolour',
    description: `A deep dive into botanical drawing. Course code ${TAG}.`,
    price: 149900,
    level: 'intermediate',
    category: 'Art',
    is_published: true,
  });
  await apiCall(request, token, 'POST', `/api/courses/${paid.id}/lessons`, { title: 'Observing a leaf', section_title: 'Seeing', duration_seconds: 900 });

  const draft = await apiCall<Course>(request, token, 'POST', '/api/courses', {
    title: 'Urban Sketching Notebook',
    description: `Not ready yet. Course code ${TAG}.`,
    price: 0,
    level: 'beginner',
    category: 'Art',
    is_published: false,
  });
  return { token, free, paid, draft, classworkId: classwork.id };
}

test('a visitor finds a free course, signs up, enrolls, hands in classwork and sees the grade', async ({ page, request }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(DESKTOP);
  const { token, free, paid, draft, classworkId } = await setUpCourses(request);
  const cards = page.getByTestId('course-card');

  await test.step('the catalog, searched and filtered, keeps its filters in the URL', async () => {
    await page.goto('/courses');
    await expect(page.getByRole('heading', { level: 1, name: 'Explore courses' })).toBeVisible();
    await expect(cards.first()).toBeVisible();
    await look(page, 'learner-catalog');

    await page.getByRole('textbox', { name: 'Search courses' }).fill(TAG);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${TAG}`));
    await expect(cards).toHaveCount(2);
    await expect(page.getByRole('link', { name: free.title })).toBeVisible();
    await expect(page.getByRole('link', { name: paid.title })).toBeVisible();
    await expect(page.getByTestId('catalog-summary')).toHaveText(`2 courses for “${TAG}”`);

    await page.getByRole('combobox', { name: 'Price' }).selectOption('free');
    await expect(page).toHaveURL(new RegExp(`\\?q=${TAG}&price=free$`));
    await expect(cards).toHaveCount(1);

    await page.reload();
    await expect(page).toHaveURL(new RegExp(`\\?q=${TAG}&price=free$`));
    await expect(page.getByRole('textbox', { name: 'Search courses' })).toHaveValue(TAG);
    await expect(page.getByRole('combobox', { name: 'Price' })).toHaveValue('free');
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText(free.title);
    await expect(cards.first()).toContainText('Free');
    await expect(cards.first()).toContainText('Ila Sen');
    await look(page, 'learner-catalog-filtered');

    // Back goes to the unfiltered search; forward returns to the filtered one.
    await page.goBack();
    await expect(cards).toHaveCount(2);
    await expect(page.getByRole('combobox', { name: 'Price' })).toHaveValue('');
    await page.goForward();
    await expect(cards).toHaveCount(1);
  });

  await test.step('nothing matching gives an empty state that clears the filters', async () => {
    await page.goto('/courses?q=nothingmatchesthisquery&level=advanced');
    await expect(page.getByTestId('catalog-empty')).toBeVisible();
    await look(page, 'learner-catalog-empty');
    await page.getByTestId('catalog-empty').getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/courses$/);
    await expect(cards.first()).toBeVisible();
  });

  await test.step('a paid course shows its price and sends a visitor to log in before buying', async () => {
    await page.goto(`/courses/${paid.slug}`);
    await expect(page.getByRole('heading', { level: 1, name: paid.title })).toBeVisible();
    await expect(page.getByTestId('course-action-card').getByTestId('course-price')).toHaveText('₹1,499');
    await expect(page.getByTestId('course-action-card').getByRole('link', { name: 'Buy for ₹1,499' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent(`/courses/${paid.slug}`)}`,
    );
    await expect(page.getByRole('button', { name: /buy|enroll/i })).toHaveCount(0);
    await look(page, 'learner-course-paid');
  });

  await test.step('the free course shows its outline with locks and a free preview', async () => {
    await page.goto(`/courses?q=${TAG}&price=free`);
    await page.getByRole('link', { name: free.title }).click();
    await expect(page).toHaveURL(new RegExp(`/courses/${free.slug}$`));
    await expect(page.getByRole('heading', { level: 1, name: free.title })).toBeVisible();
    await expect(page.getByTestId('course-instructor')).toHaveText('Ila Sen');
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(2);
    await expect(page.getByTestId('course-outline').getByText('Free preview')).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Getting started' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 3, name: 'Working with colour' })).toBeVisible();
    // The Markdown arrives rendered, and the script tag in it is inert text.
    await expect(page.getByTestId('course-description').locator('strong')).toHaveText('three washes');
    await expect(page.getByTestId('course-description')).toContainText('<script>alert("not run")</script>');
    await look(page, 'learner-course-free');
  });

  await test.step('Enroll free sends the visitor to sign up and back', async () => {
    await page.getByRole('link', { name: 'Enroll free' }).click();
    await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(`/courses/${free.slug}`)}$`));
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page).toHaveURL(/\/signup\?next=/);
    await page.getByRole('radio', { name: /I want to learn/ }).click();
    await page.getByLabel('Full name').fill('Meera Learner');
    await page.getByLabel('Email').fill(uniqueEmail('learner'));
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(new RegExp(`/courses/${free.slug}$`));
    await expect(page.getByRole('heading', { level: 1, name: free.title })).toBeVisible();
    await expect(page.getByTestId('role-badge')).toHaveText('Student');
  });

  await test.step('the student enrolls and the course opens', async () => {
    await page.getByRole('button', { name: 'Enroll free' }).click();
    await expect(page.getByRole('link', { name: 'Go to course' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(0);
    await look(page, 'learner-course-enrolled');
  });

  await test.step('My courses lists it', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My courses' }).click();
    await expect(page).toHaveURL(/\/learn$/);
    await expect(page.getByRole('heading', { level: 1, name: 'My courses' })).toBeVisible();
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toContainText(free.title);
    await look(page, 'learner-my-courses');
  });

  await test.step('the learning view shows the lessons, with the outline in a drawer on phones', async () => {
    await page.getByRole('link', { name: free.title }).click();
    await expect(page).toHaveURL(new RegExp(`/learn/${free.slug}/lessons/[\\w-]+$`));
    const lesson = page.getByTestId('lesson-view');
    await expect(lesson.getByRole('heading', { level: 2, name: 'Your first wash' })).toBeVisible();
    await expect(lesson).toContainText('Lesson 1 of 3');
    await expect(page.getByTestId('lesson-description')).toContainText('Let it dry flat.');
    await look(page, 'learner-learn-lesson');

    await page.getByRole('link', { name: /Next lesson/ }).click();
    await expect(lesson.getByRole('heading', { level: 2, name: 'Brushes and paper' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Course outline' }).getByRole('link', { name: /Layering colour/ }).click();
    await expect(lesson.getByRole('heading', { level: 2, name: 'Layering colour' })).toBeVisible();
    await expect(lesson).toContainText('Working with colour · Lesson 3 of 3');

    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Course outline' }).click();
    const drawer = page.getByRole('dialog', { name: 'Course outline' });
    await expect(drawer).toBeVisible();
    // Let the slide-in finish: axe reads colours mid-transition as low contrast.
    await page.waitForTimeout(500);
    await expectAccessible(page, 'learn outline drawer at 360px');
    await screenshot(page, 'learner-learn-outline-drawer-phone');
    await drawer.getByRole('link', { name: /Your first wash/ }).click();
    await expect(drawer).toBeHidden();
    await expect(lesson.getByRole('heading', { level: 2, name: 'Your first wash' })).toBeVisible();
    await page.setViewportSize(DESKTOP);
  });

  await test.step('the student hands in the classwork', async () => {
    await page.getByRole('tab', { name: 'Classwork' }).click();
    await expect(page).toHaveURL(new RegExp(`/learn/${free.slug}/classwork$`));
    const item = page.getByTestId('classwork-item');
    await expect(item.getByRole('heading', { level: 3, name: 'Paint a sunset sky' })).toBeVisible();
    await expect(item.getByTestId('classwork-status')).toHaveText('Not submitted');
    await expect(item).toContainText('10 points');
    await look(page, 'learner-learn-classwork');

    await item.getByRole('button', { name: 'Submit' }).click();
    await expect(item.getByText('Write your answer before submitting')).toBeVisible();
    await item.getByRole('textbox', { name: /Your answer/ }).fill('Cadmium orange into dioxazine violet. Next time: less water at the horizon.');
    await item.getByRole('button', { name: 'Submit' }).click();
    await expect(item.getByTestId('classwork-status')).toHaveText('Submitted');
    await expect(item.getByTestId('classwork-answer')).toContainText('Cadmium orange');
    await look(page, 'learner-learn-classwork-submitted');
  });

  await test.step('the teacher grades it and the student sees grade and feedback', async () => {
    const submissions = await apiCall<{ id: string }[]>(request, token, 'GET', `/api/classwork/${classworkId}/submissions`);
    expect(submissions).toHaveLength(1);
    await apiCall(request, token, 'POST', `/api/submissions/${submissions[0].id}/grade`, {
      grade: 9,
      feedback: 'Lovely soft transition. Try lifting a little colour for clouds.',
    });

    await page.reload();
    const item = page.getByTestId('classwork-item');
    await expect(item.getByTestId('classwork-status')).toHaveText('Graded');
    await expect(item.getByTestId('classwork-grade')).toContainText('9 / 10 points');
    await expect(item.getByTestId('classwork-feedback')).toHaveText('Lovely soft transition. Try lifting a little colour for clouds.');
    await expect(item.getByRole('textbox')).toHaveCount(0);
    await look(page, 'learner-learn-classwork-graded');
  });

  await test.step('back on the course page, an enrolled student continues learning', async () => {
    await page.goto(`/courses/${free.slug}`);
    await page.getByRole('link', { name: 'Continue learning' }).click();
    await expect(page).toHaveURL(new RegExp(`/learn/${free.slug}/lessons/[\\w-]+$`));
  });

  await test.step('the draft is not in the catalog and its page is not found for a student', async () => {
    await page.goto(`/courses?q=${TAG}`);
    await expect(cards).toHaveCount(2);
    await expect(page.getByRole('link', { name: draft.title })).toHaveCount(0);
    await look(page, 'learner-catalog-signed-in');
    await page.goto(`/courses/${draft.slug}`);
    await expect(page.getByTestId('course-not-found')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: "We can't find that course" })).toBeVisible();
    await look(page, 'learner-course-draft-not-found');
    await page.goto(`/learn/${draft.slug}`);
    await expect(page.getByTestId('course-not-found')).toBeVisible();
  });
});
