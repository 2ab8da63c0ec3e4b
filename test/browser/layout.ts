import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './browser';

export interface LayoutProblem {
  kind: 'wrapped-per-character' | 'clipped';
  text: string;
  where: string;
}

/**
 * Text a user cannot read whole: a label, button, chip, tab or header squeezed so narrow that it
 * wraps about one character per line, and inputs or labels whose text is cut off (ellipsis or an
 * input value wider than its box). Checked in the page itself, on what is rendered.
 */
export function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const out: { kind: 'wrapped-per-character' | 'clipped'; text: string; where: string }[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].slice(0, 2).join('.')}`;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const wrapTargets = document.querySelectorAll(
      'button, .MuiChip-label, th, .MuiTab-root, .MuiToggleButton-root, .MuiFormLabel-root, .MuiTypography-subtitle2, .MuiAlert-message, .MuiMenuItem-root, td',
    );
    for (const el of wrapTargets) {
      if (!visible(el)) continue;
      const text = (el.textContent ?? '').trim();
      if (text.length < 2) continue;
      const style = getComputedStyle(el);
      const fontSize = parseFloat(style.fontSize) || 14;
      const lineHeight = parseFloat(style.lineHeight) || fontSize * 1.4;
      const r = el.getBoundingClientRect();
      // three or more lines in a box narrower than three characters
      if (r.height > lineHeight * 2.6 && r.width < fontSize * 3) {
        out.push({ kind: 'wrapped-per-character', text: text.slice(0, 40), where: describe(el) });
        continue;
      }
      // the lines the text is laid out on (their distinct tops): two or more holding at most two characters each
      // on average — "客 / 户", "到期 / 时间", a Chinese tier name one character a line in a narrow column
      const tops: number[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const q of range.getClientRects()) if (q.width > 0 && q.height > 0) tops.push(q.top);
      }
      tops.sort((a, b) => a - b);
      const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > lineHeight * 0.5).length;
      if (lines >= 2 && [...text.replace(/\s+/g, '')].length / lines <= 2)
        out.push({ kind: 'wrapped-per-character', text: text.slice(0, 40), where: describe(el) });
    }
    for (const el of document.querySelectorAll(
      'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not(.MuiSelect-nativeInput), .MuiInputLabel-root, .MuiChip-label',
    )) {
      if (!visible(el)) continue;
      const input = el as HTMLInputElement;
      const text = el.tagName === 'INPUT' ? input.value : (el.textContent ?? '').trim();
      if (!text) continue;
      if (el.tagName === 'INPUT' && document.activeElement === el) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push({ kind: 'clipped', text: text.slice(0, 60), where: describe(el) });
    }
    // nothing wider than the window: a page that scrolls sideways cuts off its right edge
    if (document.documentElement.scrollWidth > innerWidth + 1) {
      const widest = [...document.querySelectorAll('#main-content *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 1).pop();
      out.push({ kind: 'clipped', text: `page ${document.documentElement.scrollWidth}px wide`, where: widest ? describe(widest) : 'page' });
    }
    return out;
  });
}

/** Screenshots of the page at 1440 and 1280 px wide (`<prefix>-<name>-1440.png`, `-1280.png`), each checked for unreadable text. */
export async function screensAtWidths(page: Page, prefix: string, name: string): Promise<LayoutProblem[]> {
  const problems: LayoutProblem[] = [];
  const height = page.viewportSize()?.height ?? 900;
  await page.mouse.move(0, height - 1); // no hover tooltip in the pictures
  for (const width of [1440, 1280]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150); // let responsive layouts and charts settle at the new width
    for (const p of await layoutProblems(page)) problems.push({ ...p, where: `${name}@${width}: ${p.where}` });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${prefix}-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height });
  return problems;
}
