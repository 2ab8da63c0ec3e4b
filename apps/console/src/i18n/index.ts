import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { resolveBrowserLocale } from 'react-admin';
import { en } from './en';
import { zhCN } from './zh-CN';
import { raChinese } from './ra-zh-CN';

export type LocaleCode = 'zh-CN' | 'en';

const catalogs = {
  'zh-CN': { ...raChinese, ...zhCN },
  en: { ...englishMessages, ...en },
};

/** zh* browsers get Chinese, everyone else English. */
export const browserLocale = (): LocaleCode => (resolveBrowserLocale('en', { fullLocale: true }).toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

export const i18nProvider = polyglotI18nProvider((locale) => (locale === 'zh-CN' ? catalogs['zh-CN'] : catalogs.en), browserLocale(), [
  { locale: 'zh-CN', name: '简体中文' },
  { locale: 'en', name: 'English' },
]);
