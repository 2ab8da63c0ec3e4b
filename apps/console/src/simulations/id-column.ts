const ID_NAMES = ['customerid', 'customer_id', 'customer id', 'id', '客户号', '客户编号', '客户id'];

/** The header cell of a CSV's first line that names the customer id, if any (case and BOM ignored). */
export function guessIdColumn(head: string): string | undefined {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return first
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .find((c) => ID_NAMES.includes(c.toLowerCase()));
}
