'use client';

import { useEffect, useState } from 'react';
import { applyTheme, isThemeChoice, THEME_KEY, type ThemeChoice } from './theme';
import styles from './shell.module.css';

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return isThemeChoice(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

export function ThemeSwitch() {
  // 'system' on the server and the first client render; the real value after mount (no mismatch).
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => setChoice(storedChoice()), []);

  useEffect(() => {
    if (choice !== 'system') return;
    // Following the system: react when the OS switches between light and dark.
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => applyTheme('system');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [choice]);

  function choose(next: ThemeChoice) {
    setChoice(next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode may refuse storage; the theme still applies for this page.
    }
    applyTheme(next);
  }

  return (
    <label className={styles.theme}>
      <span className="visually-hidden">Theme</span>
      <select className={styles.headerSelect} value={choice} onChange={(e) => isThemeChoice(e.target.value) && choose(e.target.value)}>
        <option value="light">Light theme</option>
        <option value="dark">Dark theme</option>
        <option value="system">System theme</option>
      </select>
    </label>
  );
}
