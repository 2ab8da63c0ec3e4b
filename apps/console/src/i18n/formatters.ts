/** Number, CNY and date formatting for the console's current locale. */
export interface Formatters {
  locale: string;
  number(value: number, maximumFractionDigits?: number): string;
  money(value: number): string;
  percent(value: number): string;
  /** 1,000,000 → "100万" (zh-CN) / "1M" (en). */
  compact(value: number): string;
  dateTime(value: string | Date): string;
}

export const makeFormatters = (locale: string): Formatters => {
  const tag = locale === 'zh-CN' ? 'zh-CN' : 'en-US';
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const compact = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale: tag,
    number: (value, maximumFractionDigits = 2) => new Intl.NumberFormat(tag, { maximumFractionDigits }).format(value),
    money: (value) => money.format(value),
    percent: (value) => percent.format(value),
    compact: (value) => compact.format(value),
    dateTime: (value) => dateTime.format(typeof value === 'string' ? new Date(value) : value),
  };
};
