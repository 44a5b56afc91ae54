import { useState } from 'react';
import { setTheme, storedTheme, type Theme } from '../theme.ts';

const NEXT: Record<Theme, Theme> = { system: 'dark', dark: 'light', light: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', dark: 'Theme: dark', light: 'Theme: light' };

export function ThemeToggle() {
  const [theme, set] = useState<Theme>(storedTheme);
  return (
    <button
      type="button"
      className="small ghost"
      onClick={() => {
        setTheme(NEXT[theme]);
        set(NEXT[theme]);
      }}
    >
      {LABEL[theme]}
    </button>
  );
}
