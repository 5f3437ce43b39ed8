/**
 * Prices: people type and read rupees, the API stores integer paise (CONVENTIONS rule 4).
 * Conversions work on the digits as text, never through floating point, so "1499.50" is
 * exactly 149950 paise and "0.1 + 0.2" rounding can never creep into a price.
 */

/** The API's rules (courses/schemas.py): 0 = free, else at least ₹1 and at most ₹10,00,000. */
export const MIN_PAID_PRICE_PAISE = 100;
export const MAX_PRICE_PAISE = 100_000_000;

export type RupeeParse = { ok: true; paise: number } | { ok: false; error: string };

/**
 * Read a price typed in rupees ("1499", "1,499.50", "₹ 99.9") as integer paise, with the
 * API's limits applied. Returns a sentence for the field when the input is not a valid price.
 */
export function parseRupees(input: string): RupeeParse {
  const cleaned = input.trim().replace(/^₹\s*/, '').replace(/^(rs\.?|inr)\s*/i, '').replace(/,/g, '').trim();
  if (!cleaned) return { ok: false, error: 'Enter a price in rupees, or 0 for a free course' };
  if (/^-/.test(cleaned)) return { ok: false, error: 'The price cannot be negative' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (!match[1] && !match[2])) {
    return { ok: false, error: 'Enter the price as a number of rupees, e.g. 1499 or 1499.50' };
  }
  const whole = match[1].replace(/^0+(?=\d)/, '') || '0';
  const fraction = match[2] ?? '';
  if (fraction.length > 2) return { ok: false, error: 'Use at most two digits after the decimal point (paise)' };
  // More than 9 digits of rupees is far above the limit; stop before Number loses precision.
  if (whole.length > 9) return { ok: false, error: tooHigh() };
  const paise = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (paise > 0 && paise < MIN_PAID_PRICE_PAISE) {
    return { ok: false, error: 'A paid course costs at least ₹1. Use 0 for a free course' };
  }
  if (paise > MAX_PRICE_PAISE) return { ok: false, error: tooHigh() };
  return { ok: true, paise };
}

function tooHigh(): string {
  return `The price can be at most ${formatRupees(MAX_PRICE_PAISE)}`;
}

/** Paise as the text to put back in a rupee input: 149950 → "1499.50", 149900 → "1499". */
export function paiseToRupeeInput(paise: number): string {
  if (!Number.isInteger(paise) || paise < 0) return '';
  const rupees = Math.floor(paise / 100);
  const rest = paise % 100;
  return rest === 0 ? String(rupees) : `${rupees}.${String(rest).padStart(2, '0')}`;
}

const RUPEE_FORMAT_WHOLE = new Intl.NumberFormat('en-IN', {
  style: 'currency',
  currency: 'INR',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});
const RUPEE_FORMAT_PAISE = new Intl.NumberFormat('en-IN', {
  style: 'currency',
  currency: 'INR',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Paise for reading, in Indian grouping: 149950 → "₹1,499.50", 100000000 → "₹10,00,000". */
export function formatRupees(paise: number): string {
  if (paise % 100 === 0) return RUPEE_FORMAT_WHOLE.format(paise / 100);
  return RUPEE_FORMAT_PAISE.format(paise / 100);
}

/** A course price as shown in lists: "Free" for 0, otherwise rupees. */
export function formatCoursePrice(paise: number): string {
  return paise === 0 ? 'Free' : formatRupees(paise);
}
