import type { Locator } from '@playwright/test';

/**
 * The smallest rendered size of any visible text in `root`, in CSS px on screen: the computed font
 * size times every scale an ancestor's transform applies (React Flow's zoom; the old canvas drew
 * 14 px at ×0.24, which no font-size check alone would have caught).
 */
export async function smallestText(root: Locator): Promise<{ px: number; text: string }> {
  return root.evaluate((el) => {
    let best = { px: Infinity, text: '' };
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const host = n.parentElement;
      if (!text || !host) continue;
      const rect = host.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(host).visibility === 'hidden') continue;
      let scale = 1;
      for (let a: Element | null = host; a; a = a.parentElement) {
        const t = getComputedStyle(a).transform;
        if (t && t !== 'none') scale *= Math.hypot(new DOMMatrix(t).a, new DOMMatrix(t).b);
      }
      const px = parseFloat(getComputedStyle(host).fontSize) * scale;
      if (px < best.px) best = { px, text };
    }
    return best;
  });
}
