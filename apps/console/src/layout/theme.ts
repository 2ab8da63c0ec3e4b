import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * react-admin's default theme, with table headers that never break inside a Chinese word: CSS
 * `word-break: keep-all` lets a header wrap only at spaces and punctuation, so "类型" or "到期时间"
 * stays whole instead of standing one or two characters a line in a narrow column (English
 * headers wrap as before). Under automation (navigator.webdriver: the browser tests) transitions
 * and ripples are off, so screenshots never catch a dialog half faded in.
 */
const automated = typeof navigator !== 'undefined' && navigator.webdriver;

const base: RaThemeOptions = {
  ...defaultTheme,
  components: {
    ...defaultTheme.components,
    MuiTableCell: {
      ...defaultTheme.components?.MuiTableCell,
      styleOverrides: { ...defaultTheme.components?.MuiTableCell?.styleOverrides, head: { wordBreak: 'keep-all' } },
    },
  },
};

export const theme: RaThemeOptions = automated
  ? {
      ...base,
      transitions: { ...defaultTheme.transitions, create: () => 'none' },
      components: {
        ...base.components,
        MuiButtonBase: { ...defaultTheme.components?.MuiButtonBase, defaultProps: { disableRipple: true } },
      },
    }
  : base;
