import { makeFormatters } from './formatters';
import { en } from './en';
import { zhCN } from './zh-CN';

describe('formatters', () => {
  it('formats CNY and large numbers for each locale', () => {
    const zh = makeFormatters('zh-CN');
    const us = makeFormatters('en');
    expect(zh.money(1280.5)).toBe('¥1,280.50');
    expect(us.money(1280.5)).toBe('¥1,280.50');
    expect(zh.number(1_000_000)).toBe('1,000,000');
    expect(zh.compact(1_000_000)).toBe('100万');
    expect(us.compact(1_000_000)).toBe('1M');
  });
});

describe('messages', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
  it('zh-CN translates every English key and nothing else', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
  it('keeps the same %{placeholders} in both languages', () => {
    const get = (o: object, path: string) => path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], o) as string;
    for (const key of keys(en)) {
      const vars = (s: string) => (s.match(/%\{\w+\}/g) ?? []).sort();
      expect([key, vars(get(zhCN, key))]).toEqual([key, vars(get(en, key))]);
    }
  });
});
