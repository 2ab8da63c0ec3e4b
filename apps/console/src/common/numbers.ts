/** Accepts "1,000,000", "1000000" or "1 000 000"; `null` when empty or not a number. */
export const parseLooseNumber = (text: string): number | null => {
  const cleaned = text.replace(/[\s,，_']/g, '');
  if (cleaned === '' || cleaned === '-' || !/^-?\d*\.?\d*(e-?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
};
