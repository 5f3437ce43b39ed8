/** Due dates: a datetime-local field in the teacher's own time zone, ISO 8601 (UTC) on the wire. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2025-03-01T11:30:00Z" → "2025-03-01T17:00" for a browser in IST; "" for none. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) → ISO with a zone, as the API requires; null for empty. */
export function localInputToIso(value: string): string | null | 'invalid' {
  if (!value.trim()) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value.trim())) return 'invalid';
  const d = new Date(value.trim());
  if (Number.isNaN(d.getTime())) return 'invalid';
  return d.toISOString();
}

/** For reading: "1 Mar 2025, 5:00 pm". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-IN', { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}
