import { describe, expect, it } from 'vitest';
import { formatCoursePrice, formatRupees, MAX_PRICE_PAISE, paiseToRupeeInput, parseRupees } from './money';

function paise(input: string): number | string {
  const result = parseRupees(input);
  return result.ok ? result.paise : `error: ${result.error}`;
}

describe('parseRupees', () => {
  it('converts whole and decimal rupees to integer paise exactly', () => {
    expect(paise('1499')).toBe(149900);
    expect(paise('1499.50')).toBe(149950);
    expect(paise('1499.5')).toBe(149950);
    expect(paise('1499.05')).toBe(149905);
    expect(paise('0.1')).toMatch(/^error/); // 10 paise: below the ₹1 minimum
    expect(paise('19.99')).toBe(1999); // 19.99 * 100 is 1998.9999… in floating point
    expect(paise('1.10')).toBe(110);
    expect(paise('1')).toBe(100);
    expect(paise('1499.')).toBe(149900);
  });

  it('accepts 0 (and its spellings) as free', () => {
    expect(paise('0')).toBe(0);
    expect(paise('0.00')).toBe(0);
    expect(paise('000')).toBe(0);
    expect(paise('.0')).toBe(0);
  });

  it('tolerates a rupee sign, Rs prefix, Indian digit grouping and spaces', () => {
    expect(paise('₹1,499.50')).toBe(149950);
    expect(paise(' ₹ 99 ')).toBe(9900);
    expect(paise('Rs. 250')).toBe(25000);
    expect(paise('INR 250')).toBe(25000);
    expect(paise('1,00,000')).toBe(10_000_000);
    expect(paise('007')).toBe(700);
  });

  it('refuses text that is not a number', () => {
    expect(paise('abc')).toMatch(/^error: Enter the price as a number/);
    expect(paise('12abc')).toMatch(/^error: Enter the price as a number/);
    expect(paise('1.2.3')).toMatch(/^error: Enter the price as a number/);
    expect(paise('.')).toMatch(/^error: Enter the price as a number/);
    expect(paise('1e3')).toMatch(/^error: Enter the price as a number/);
    expect(paise('0x10')).toMatch(/^error: Enter the price as a number/);
    expect(paise('Infinity')).toMatch(/^error: Enter the price as a number/);
    expect(paise('NaN')).toMatch(/^error: Enter the price as a number/);
  });

  it('asks for a value when empty', () => {
    expect(paise('')).toMatch(/^error: Enter a price/);
    expect(paise('   ')).toMatch(/^error: Enter a price/);
  });

  it('refuses negative prices', () => {
    expect(paise('-1')).toBe('error: The price cannot be negative');
    expect(paise('-0.50')).toBe('error: The price cannot be negative');
    expect(paise('₹-5')).toBe('error: The price cannot be negative');
  });

  it('refuses fractions of a paisa', () => {
    expect(paise('1499.505')).toMatch(/two digits after the decimal point/);
    expect(paise('1.001')).toMatch(/two digits after the decimal point/);
  });

  it('applies the API minimum: a paid course costs at least ₹1 (100 paise)', () => {
    expect(paise('0.5')).toBe('error: A paid course costs at least ₹1. Use 0 for a free course');
    expect(paise('0.99')).toMatch(/at least ₹1/);
    expect(paise('0.01')).toMatch(/at least ₹1/);
    expect(paise('1.00')).toBe(100);
  });

  it('applies the API maximum of ₹10,00,000 (100,000,000 paise)', () => {
    expect(paise('1000000')).toBe(MAX_PRICE_PAISE);
    expect(paise('10,00,000.00')).toBe(MAX_PRICE_PAISE);
    expect(paise('1000000.01')).toBe('error: The price can be at most ₹10,00,000');
    expect(paise('1000001')).toMatch(/at most ₹10,00,000/);
    expect(paise('99999999999999999999')).toMatch(/at most ₹10,00,000/);
  });
});

describe('paiseToRupeeInput', () => {
  it('shows paise back as rupees without losing precision', () => {
    expect(paiseToRupeeInput(149950)).toBe('1499.50');
    expect(paiseToRupeeInput(149905)).toBe('1499.05');
    expect(paiseToRupeeInput(149900)).toBe('1499');
    expect(paiseToRupeeInput(0)).toBe('0');
    expect(paiseToRupeeInput(100)).toBe('1');
    expect(paiseToRupeeInput(MAX_PRICE_PAISE)).toBe('1000000');
  });

  it('round-trips through parseRupees', () => {
    for (const value of [0, 100, 101, 1999, 149950, 9_999_999, MAX_PRICE_PAISE]) {
      expect(paise(paiseToRupeeInput(value))).toBe(value);
    }
  });

  it('gives an empty field for values that are not paise', () => {
    expect(paiseToRupeeInput(-1)).toBe('');
    expect(paiseToRupeeInput(1.5)).toBe('');
  });
});

describe('formatRupees and formatCoursePrice', () => {
  it('formats in Indian grouping, with paise only when there are some', () => {
    expect(formatRupees(149950)).toBe('₹1,499.50');
    expect(formatRupees(149900)).toBe('₹1,499');
    expect(formatRupees(MAX_PRICE_PAISE)).toBe('₹10,00,000');
    expect(formatRupees(1999)).toBe('₹19.99');
  });

  it('calls a zero price free', () => {
    expect(formatCoursePrice(0)).toBe('Free');
    expect(formatCoursePrice(49900)).toBe('₹499');
  });
});
