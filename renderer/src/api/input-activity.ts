/**
 * When the person at this page last pressed a key, clicked, scrolled or touched. Every call tells the
 * core how long ago that was, so a session counts as active because someone uses it, not because
 * the page reloads what changed when someone else works (electron/core/app.ts, session idle time).
 */
let lastInputAt = Date.now();
let listening = false;

function listen(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const seen = () => {
    lastInputAt = Date.now();
  };
  // Clicks, input and focus as well: assistive technology, dictation and pasting may send no key or pointer event.
  for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart', 'click', 'input', 'change', 'focusin'] as const) {
    window.addEventListener(type, seen, { capture: true, passive: true });
  }
}

/** Milliseconds since the last input at this page (from page load until the first one). */
export function inputAgoMs(): number {
  listen();
  return Math.max(0, Date.now() - lastInputAt);
}
