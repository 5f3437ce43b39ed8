import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { courseKeys, type Enrollment } from './courses';
import type { Page } from './types';

/**
 * Payments: buying a course (create-order → the provider's checkout → verify), the caller's
 * orders, and the admin's manual payments, ledger and refunds. Shapes follow
 * backend/pathshala/payments/schemas.py. Money is integer paise with its currency.
 */

export type PaymentProviderName = 'razorpay' | 'sandbox' | 'stripe';
export type OrderStatus = 'created' | 'attempted' | 'paid' | 'failed' | 'expired' | 'refunded';
export type PaymentMethod = 'razorpay' | 'sandbox' | 'stripe' | 'manual';
export type PaymentStatus = 'paid' | 'partially_refunded' | 'refunded';

export interface PaymentsConfig {
  /** null: payments are off on this platform. */
  provider: PaymentProviderName | null;
  key_id: string | null;
  sandbox: boolean;
  currency: string;
  merchant_name: string;
}

export interface CourseRef {
  id: string;
  title: string;
  slug: string;
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** POST /create-order: what Checkout.js (or the sandbox checkout) is opened with, or where
 * Stripe's hosted checkout is. */
export interface CreatedOrder {
  /** The provider's order id (Razorpay's "order_…", the sandbox's "order_sbx_…", Stripe's "cs_…"). */
  order_id: string;
  /** Paise. */
  amount: number;
  currency: string;
  /** Null for redirect checkouts (Stripe). */
  key_id: string | null;
  provider: PaymentProviderName;
  /** Stripe: the hosted checkout page the buyer is sent to. */
  checkout_url?: string | null;
  /** The platform's id of the order. */
  id?: string;
  status?: OrderStatus;
  receipt?: string;
  name?: string;
  description?: string;
  course?: CourseRef;
  prefill?: { name?: string; email?: string };
}

/** What Checkout.js hands its `handler` on success (and what the sandbox imitates). */
export interface CheckoutSuccess {
  razorpay_order_id: string;
  razorpay_payment_id: string;
  razorpay_signature: string;
}

/** The sandbox's answer to "pay" or "fail": the signed success, or Checkout.js's error. */
export interface SandboxPayAnswer extends Partial<CheckoutSuccess> {
  outcome?: 'success' | 'fail';
  error?: { code?: string; description?: string; reason?: string; source?: string; step?: string } | null;
}

export interface PaymentSummary {
  id: string;
  method: PaymentMethod;
  status: PaymentStatus;
  amount: number;
  amount_refunded: number;
  currency: string;
  provider_payment_id: string | null;
  paid_at: string;
}

/** An order in GET /orders (and in verify's answer). */
export interface Order {
  id: string;
  /** The provider's order id; null for manual payments. */
  order_id: string | null;
  provider: 'razorpay' | 'sandbox' | 'stripe' | 'manual';
  status: OrderStatus;
  amount: number;
  currency: string;
  receipt_number: number | null;
  /** "PS-000042" once paid. */
  receipt_label: string | null;
  course: CourseRef;
  payment: PaymentSummary | null;
  created_at: string;
  paid_at: string | null;
}

/** POST /verify and POST /confirm. */
export interface VerifyResult {
  status: 'paid' | 'refunded';
  enrollment: Enrollment | null;
  order?: Order;
  payment?: PaymentSummary;
}

/** A payment as admins see it (manual-record's answer, a ledger row). */
export interface PaymentRecord extends PaymentSummary {
  order_id: string;
  provider_order_id: string | null;
  receipt_number: number | null;
  receipt_label: string | null;
  order_status: OrderStatus;
  user_id: string;
  user: Person;
  course_id: string;
  course: CourseRef;
  notes: string | null;
  recorded_by_user_id: string | null;
  created_at: string;
}

export interface ManualPaymentResult extends PaymentRecord {
  enrollment: Enrollment;
  /** A new student account was made and mailed a set-password link. */
  user_created: boolean;
}

export interface ManualPaymentInput {
  course_id: string;
  user_id?: string;
  email?: string;
  name?: string;
  amount?: number;
  currency?: string;
  provider_order_id?: string;
  provider_payment_id?: string;
  notes?: string;
}

export interface RefundInput {
  /** Paise; omitted: everything not yet refunded. */
  amount?: number;
  reason: string;
}

export interface RefundResult {
  id: string;
  amount: number;
  currency: string;
  reason: string;
  status: 'pending' | 'processed' | 'failed';
  payment: PaymentSummary;
}

export interface LedgerParams {
  method?: PaymentMethod | '';
  status?: PaymentStatus | '';
  course_id?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  page?: number;
  per_page?: number;
}

export interface LedgerPage extends Page<PaymentRecord> {
  totals: { amount: number; amount_refunded: number; net: number };
}

// ---- calls ------------------------------------------------------------------------------

const BASE = '/api/payments';

export function getPaymentsConfig(signal?: AbortSignal): Promise<PaymentsConfig> {
  return api.get<PaymentsConfig>(`${BASE}/config`, undefined, signal);
}

export function createOrder(courseId: string): Promise<CreatedOrder> {
  return api.post<CreatedOrder>(`${BASE}/create-order`, { course_id: courseId });
}

export function sandboxPay(orderId: string, outcome: 'success' | 'fail'): Promise<SandboxPayAnswer> {
  return api.post<SandboxPayAnswer>(`${BASE}/sandbox/pay`, { order_id: orderId, outcome });
}

export function verifyPayment(answer: CheckoutSuccess): Promise<VerifyResult> {
  return api.post<VerifyResult>(`${BASE}/verify`, {
    razorpay_order_id: answer.razorpay_order_id,
    razorpay_payment_id: answer.razorpay_payment_id,
    razorpay_signature: answer.razorpay_signature,
  });
}

/** After a redirect checkout (Stripe's) sent the buyer back: the server asks the provider. */
export function confirmRedirectPayment(orderId: string): Promise<VerifyResult> {
  return api.post<VerifyResult>(`${BASE}/confirm`, { order_id: orderId });
}

export function listMyOrders(params: { page?: number; per_page?: number }, signal?: AbortSignal): Promise<Page<Order>> {
  return api.get<Page<Order>>(`${BASE}/orders`, { ...params }, signal);
}

export function recordManualPayment(input: ManualPaymentInput): Promise<ManualPaymentResult> {
  return api.post<ManualPaymentResult>(`${BASE}/manual-record`, input);
}

export function refundPayment(paymentId: string, input: RefundInput): Promise<RefundResult> {
  return api.post<RefundResult>(`${BASE}/${encodeURIComponent(paymentId)}/refund`, input);
}

/** The PDF receipt of a paid (or since refunded) order: a download link, the session cookie
 * authorises it. `orderId` is the order's own id (Order.id), not the provider's. */
export function receiptPdfUrl(orderId: string): string {
  return `${(import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '')}/api/payments/orders/${encodeURIComponent(orderId)}/receipt.pdf`;
}

/** The CSV export of the same filters (a download link; the session cookie authorises it). */
export function ledgerCsvUrl(params: LedgerParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...params, page: undefined, per_page: undefined, format: 'csv' })) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  return `${(import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '')}/api/admin/payments?${query.toString()}`;
}

export function listLedger(params: LedgerParams, signal?: AbortSignal): Promise<LedgerPage> {
  return api.get<LedgerPage>('/api/admin/payments', { ...params }, signal);
}

// ---- queries ----------------------------------------------------------------------------

export const paymentKeys = {
  all: ['payments'] as const,
  config: ['payments', 'config'] as const,
  orders: (params: { page?: number; per_page?: number }) => ['payments', 'orders', params] as const,
  ledger: (params: LedgerParams) => ['payments', 'ledger', params] as const,
};

/** Which checkout this platform runs (rarely changes: kept for the session). */
export function usePaymentsConfig() {
  return useQuery({
    queryKey: paymentKeys.config,
    queryFn: ({ signal }) => getPaymentsConfig(signal),
    staleTime: Infinity,
    retry: 1,
  });
}

export function useMyOrders(params: { page?: number; per_page?: number }) {
  return useQuery({
    queryKey: paymentKeys.orders(params),
    queryFn: ({ signal }) => listMyOrders(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useLedger(params: LedgerParams) {
  return useQuery({
    queryKey: paymentKeys.ledger(params),
    queryFn: ({ signal }) => listLedger(params, signal),
    placeholderData: keepPreviousData,
  });
}

/** After money changed hands: the course (now unlocked), my courses and orders are stale. */
export function useInvalidateAfterPurchase() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['courses', 'detail'] }),
      queryClient.invalidateQueries({ queryKey: courseKeys.mine }),
      queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
    ]);
}

export function useRecordManualPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: recordManualPayment,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
  });
}

export function useRefundPayment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ paymentId, ...input }: RefundInput & { paymentId: string }) => refundPayment(paymentId, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: paymentKeys.all }),
  });
}
