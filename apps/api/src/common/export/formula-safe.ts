/**
 * Cells that a spreadsheet would run as a formula (CSV/formula injection): text starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return — and their full-width forms, which some Excel
 * locales also accept — gets a leading `'`, so Excel, LibreOffice and Google Sheets show it as text.
 * Text that is a plain number (`-5`, `+1.5e3`) cannot be a formula and is left as it is.
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function formulaSafe(text: string): string {
  if (text.length === 0 || !TRIGGERS.has(text[0])) return text;
  return PLAIN_NUMBER.test(text) ? text : `'${text}`;
}
