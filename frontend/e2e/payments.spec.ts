import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_EMAIL, ADMIN_PASSWORD, apiCall, DESKTOP, logIn, logOut, look, PASSWORD, signUp, uniqueEmail } from './helpers';

/**
 * Buying courses with the payment sandbox (scripts/e2e.sh sets no Razorpay keys, so the
 * backend runs its sandbox and the SPA opens the sandbox checkout instead of Checkout.js),
 * order history, and the admin's manual payment for a new email, ledger and refund.
 * The teacher's course is set up through the API.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const PRICE_TEXT = '₹1,499';

interface Course {
  id: string;
  slug: string;
  title: string;
}

/** A teacher (through the API) publishes a paid course with a free preview and a locked lesson. */
async function paidCourse(request: APIRequestContext, title: string): Promise<Course> {
  const register = await request.post('/api/auth/register', {
    data: { email: uniqueEmail('pay-teacher'), password: PASSWORD, name: 'Ila Sen', role: 'teacher' },
  });
  expect(register.status()).toBe(201);
  const { access_token: token } = (await register.json()) as { access_token: string };
  const course = await apiCall<Course>(request, token, 'POST', '/api/courses', {
    title,
    subtitle: 'Accurate, beautiful plant studies in pencil and watercolour',
    description: 'A deep dive into botanical drawing, from a single leaf to a full specimen plate.',
    price: 149900,
    level: 'intermediate',
    category: 'Art',
    is_published: true,
  });
  await apiCall(request, token, 'POST', `/api/courses/${course.id}/lessons`, {
    title: 'Observing a leaf',
    section_title: 'Seeing',
    is_free_preview: true,
    duration_seconds: 600,
  });
  await apiCall(request, token, 'POST', `/api/courses/${course.id}/lessons`, { title: 'Venation in ink', section_title: 'Seeing', duration_seconds: 900 });
  return course;
}

const card = (page: Page) => page.getByTestId('course-action-card');
const sandboxDialog = (page: Page) => page.getByRole('dialog', { name: 'Sandbox checkout' });

async function openSandboxCheckout(page: Page) {
  await card(page).getByRole('button', { name: `Buy for ${PRICE_TEXT}` }).click();
  const dialog = sandboxDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Sandbox — no real money moves');
  await expect(dialog.getByTestId('sandbox-amount')).toHaveText(PRICE_TEXT);
  return dialog;
}

test('a student buys a paid course in the sandbox checkout and finds it in My courses and Purchases', async ({ page, request }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  const course = await paidCourse(request, 'Botanical Illustration Masterclass');
  const checkoutJs: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('checkout.razorpay.com')) checkoutJs.push(r.url());
  });

  await test.step('a visitor is sent to log in to buy', async () => {
    await page.goto(`/courses/${course.slug}`);
    const buy = card(page).getByRole('link', { name: `Buy for ${PRICE_TEXT}` });
    await expect(buy).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/courses/${course.slug}`)}`);
    await look(page, 'payments-course-signed-out');
  });

  await test.step('a new student has no purchases yet', async () => {
    await signUp(page, { name: 'Meera Buyer', email: uniqueEmail('buyer'), role: 'student' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Purchases' }).click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Purchases' })).toBeVisible();
    await expect(page.getByTestId('orders-empty')).toContainText('No purchases yet');
    await look(page, 'payments-orders-empty');
  });

  await test.step('Buy opens the labelled sandbox checkout (never Razorpay’s script)', async () => {
    await page.goto(`/courses/${course.slug}`);
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(1);
    await look(page, 'payments-course-buy');
    const dialog = await openSandboxCheckout(page);
    await expect(dialog).toContainText(course.title);
    // Let the dialog's transition finish: axe reads colours mid-fade as low contrast.
    await look(page, 'payments-sandbox-checkout', { settle: 500 });
    await dialog.getByRole('button', { name: `Pay ${PRICE_TEXT} (test)` }).click();
  });

  await test.step('the payment is verified and the course unlocks', async () => {
    const success = card(page).getByTestId('purchase-success');
    await expect(success).toContainText('Payment successful');
    await expect(success).toContainText(/Your receipt number is PS-\d{6}/);
    await expect(sandboxDialog(page)).toBeHidden();
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(0);
    await look(page, 'payments-course-purchased');
    expect(checkoutJs).toEqual([]);
  });

  await test.step('the order is in Purchases with its receipt number', async () => {
    await card(page).getByRole('link', { name: 'View receipt' }).click();
    await expect(page).toHaveURL(/\/orders\?order=order_sbx_/);
    const order = page.getByTestId('order');
    await expect(order).toHaveCount(1);
    await expect(order).toContainText(course.title);
    await expect(order.getByTestId('order-status')).toHaveText('Paid');
    await expect(order.getByTestId('order-amount')).toHaveText(PRICE_TEXT);
    await expect(order.getByTestId('order-receipt')).toHaveText(/^PS-\d{6}$/);
    await look(page, 'payments-orders');
  });

  await test.step('the receipt downloads as a PDF', async () => {
    const label = (await page.getByTestId('order').getByTestId('order-receipt').innerText()).trim();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('order').getByRole('link', { name: 'Download receipt (PDF)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`pathshala-receipt-${label}.pdf`);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  await test.step('My courses lists it and Start learning opens it', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My courses' }).click();
    await expect(page.getByTestId('course-card')).toHaveCount(1);
    await expect(page.getByTestId('course-card').first()).toContainText(course.title);
    await page.goto(`/courses/${course.slug}`);
    await card(page).getByRole('link', { name: 'Continue learning' }).click();
    await expect(page).toHaveURL(new RegExp(`/learn/${course.slug}`));
  });
});

test('a cancelled or failed sandbox checkout leaves the course locked and offers a retry', async ({ page, request }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  const course = await paidCourse(request, 'Ink Wash Landscapes');
  await signUp(page, { name: 'Ravi Undecided', email: uniqueEmail('canceller'), role: 'student' });

  await test.step('cancel: nothing charged, still locked', async () => {
    await page.goto(`/courses/${course.slug}`);
    const dialog = await openSandboxCheckout(page);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(card(page).getByTestId('purchase-cancelled')).toContainText('Payment cancelled');
    await expect(card(page).getByTestId('purchase-cancelled')).toContainText('nothing was charged');
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(1);
    await look(page, 'payments-course-cancelled');
  });

  await test.step('Escape closes the checkout as a cancel too', async () => {
    const dialog = await openSandboxCheckout(page);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(card(page).getByTestId('purchase-cancelled')).toBeVisible();
  });

  await test.step('fail: the bank declines, still locked, Try again reopens the checkout', async () => {
    const dialog = await openSandboxCheckout(page);
    await dialog.getByRole('button', { name: 'Fail payment' }).click();
    await expect(dialog).toBeHidden();
    const failed = card(page).getByTestId('purchase-failed');
    await expect(failed).toContainText('Payment failed');
    await expect(failed).toContainText('The course is still locked.');
    await expect(page.getByRole('img', { name: 'Locked' })).toHaveCount(1);
    await look(page, 'payments-course-failed');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await expect(sandboxDialog(page)).toBeVisible();
    await sandboxDialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(sandboxDialog(page)).toBeHidden();
  });

  await test.step('Purchases shows the failed order without a receipt; My courses stays empty', async () => {
    await page.goto('/orders');
    const orders = page.getByTestId('order');
    await expect(orders.filter({ has: page.getByTestId('order-status').getByText('Failed') })).toHaveCount(1);
    await expect(orders.filter({ has: page.getByTestId('order-status').getByText('Paid') })).toHaveCount(0);
    for (const receipt of await page.getByTestId('order-receipt').allInnerTexts()) expect(receipt).toBe('—');
    await look(page, 'payments-orders-unpaid');
    await page.goto('/learn');
    await expect(page.getByTestId('my-courses-empty')).toBeVisible();
  });
});

/**
 * The set-password link the backend mailed to `email`. There is no SMTP server in e2e: every
 * mail is written to the `mail_outbox` table first, so the spec reads it there (through the
 * backend's own virtualenv and SQLAlchemy, which speak to Postgres and SQLite alike).
 */
async function mailedLink(email: string): Promise<string> {
  const python = path.resolve(here, '../../.venv/bin/python');
  const script = [
    'import os, sys, sqlalchemy as sa',
    'engine = sa.create_engine(os.environ["BACKEND_DATABASE_URL"])',
    'with engine.connect() as c:',
    '    row = c.execute(sa.text("SELECT body_text FROM mail_outbox WHERE to_address = :to AND kind = \'invite\' ORDER BY created_at DESC LIMIT 1"), {"to": sys.argv[1]}).first()',
    'print(row[0] if row else "")',
  ].join('\n');
  for (let i = 0; i < 20; i += 1) {
    const body = execFileSync(python, ['-c', script, email], { encoding: 'utf8' });
    const match = /https?:\/\/\S+\/reset-password\?token=[\w-]+/.exec(body);
    if (match) return match[0];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no set-password mail for ${email} in the outbox`);
}

test('an admin records an NEFT payment for a new email; that person sets a password and finds the course', async ({ page, request }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(DESKTOP);
  const course = await paidCourse(request, `Field Sketching ${Date.now().toString(36)}`);
  const payerEmail = uniqueEmail('neft-payer');
  const utr = `SBIN${Date.now().toString().slice(-12)}`;

  await test.step('the admin opens Payments', async () => {
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Payments' }).click();
    await expect(page).toHaveURL(/\/admin\/payments$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Payments' })).toBeVisible();
    await expect(page.getByTestId('ledger-table').or(page.getByTestId('ledger-empty'))).toBeVisible();
    await look(page, 'payments-admin');
  });

  await test.step('the form checks its fields before sending', async () => {
    const form = page.getByRole('form', { name: 'Record a payment' });
    await form.getByText('New person', { exact: true }).click();
    await expect(form.getByRole('radio', { name: 'New person' })).toBeChecked();
    await form.getByRole('button', { name: 'Record payment' }).click();
    await expect(form.getByText("Enter the payer's name")).toBeVisible();
    await expect(form.getByText('Choose the course that was paid for')).toBeVisible();
  });

  await test.step('a bank transfer for a new email is recorded', async () => {
    const form = page.getByRole('form', { name: 'Record a payment' });
    await form.getByLabel("Payer's name").fill('Kiran Transfer');
    await form.getByLabel("Payer's email").fill(payerEmail);
    await form.getByRole('textbox', { name: 'Course' }).fill(course.title);
    await page.getByRole('option', { name: new RegExp(course.title) }).click();
    await expect(form.getByLabel('Amount received (₹)')).toHaveValue('1499');
    await form.getByLabel('UTR or payment reference').fill(utr);
    await form.getByLabel('Notes').fill(`NEFT from HDFC, UTR ${utr}, confirmed on the bank statement.`);
    await look(page, 'payments-admin-form-filled');
    await form.getByRole('button', { name: 'Record payment' }).click();

    const recorded = page.getByTestId('manual-payment-recorded');
    await expect(recorded).toContainText('Payment recorded');
    await expect(recorded).toContainText(`${PRICE_TEXT} from Kiran Transfer (${payerEmail})`);
    await expect(page.getByTestId('manual-payment-invited')).toContainText('A new student account was created');
    const row = page.getByTestId('ledger-row').filter({ hasText: payerEmail });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Manual');
    await expect(row).toContainText(utr);
    await expect(row).toContainText(/PS-\d{6}/);
    await look(page, 'payments-admin-recorded');
  });

  await test.step('the ledger filters by method and course', async () => {
    await page.getByRole('textbox', { name: 'Method' }).click();
    await page.getByRole('option', { name: 'Sandbox' }).click();
    await expect(page.getByTestId('ledger-row').filter({ hasText: payerEmail })).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Method' }).click();
    await page.getByRole('option', { name: 'Manual' }).click();
    await expect(page.getByTestId('ledger-row').filter({ hasText: payerEmail })).toHaveCount(1);
    await expect(page.getByTestId('ledger-summary')).toContainText('match your filters');
    // The CSV export carries the same filters and the admin's session.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toContain('method=manual');
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain(payerEmail);
    expect(text).toContain(utr);
  });

  await test.step('a partial refund is confirmed in a dialog and keeps the student enrolled', async () => {
    const row = page.getByTestId('ledger-row').filter({ hasText: payerEmail });
    await row.getByRole('button', { name: /^Refund/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund payment' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Amount to refund (₹)')).toHaveValue('1499');
    await expect(dialog).toContainText('A full refund removes the student from the course.');
    await look(page, 'payments-admin-refund-dialog', { settle: 500 });
    await dialog.getByLabel('Amount to refund (₹)').fill('200');
    await expect(dialog).toContainText('A partial refund keeps the student enrolled.');
    await dialog.getByRole('button', { name: 'Refund ₹200' }).click();
    await expect(dialog.getByText('Say why the money is given back')).toBeVisible();
    await dialog.getByLabel('Reason').fill('Early-bird discount agreed on the phone.');
    await dialog.getByRole('button', { name: 'Refund ₹200' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('Partly refunded');
    await expect(row).toContainText('−₹200 refunded');
  });

  await test.step('the new student sets a password from the mailed link and finds the course', async () => {
    const link = await mailedLink(payerEmail);
    await logOut(page);
    await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
    await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
    const newPassword = 'Kiran-sets-7-password';
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
    await page.getByLabel('Repeat new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page).toHaveURL(/\/login/);
    await logIn(page, payerEmail, newPassword);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My courses' }).click();
    await expect(page.getByTestId('course-card')).toHaveCount(1);
    await expect(page.getByTestId('course-card').first()).toContainText(course.title);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Purchases' }).click();
    const order = page.getByTestId('order');
    await expect(order).toHaveCount(1);
    await expect(order.getByTestId('order-status')).toHaveText('Partly refunded');
    await expect(order.getByTestId('order-receipt')).toHaveText(/^PS-\d{6}$/);
    await look(page, 'payments-orders-manual');
  });
});
