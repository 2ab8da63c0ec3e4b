import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * react-admin's default theme. Under automation (navigator.webdriver: the browser tests)
 * transitions and ripples are off, so screenshots never catch a dialog half faded in.
 */
const automated = typeof navigator !== 'undefined' && navigator.webdriver;

export const theme: RaThemeOptions = automated
  ? {
      ...defaultTheme,
      transitions: { ...defaultTheme.transitions, create: () => 'none' },
      components: {
        ...defaultTheme.components,
        MuiButtonBase: { ...defaultTheme.components?.MuiButtonBase, defaultProps: { disableRipple: true } },
      },
    }
  : defaultTheme;
