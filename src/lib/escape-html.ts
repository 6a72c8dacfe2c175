// Escaping for text and double-quoted attribute values in HTML built as strings (the same five
// characters hono's JSX escapes).
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const NEEDS = /[&<>"']/;
export const escapeHtml = (s: string): string => (NEEDS.test(s) ? s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!) : s);
