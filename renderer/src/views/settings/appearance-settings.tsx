import { Icon, type IconName } from '../../components/icons.js';
import { useAppStore } from '../../store/index.js';
import type { ThemeChoice } from '../../store/ui-slice.js';
import { CardHeader } from '../../components/card-header.js';

const CHOICES: { value: ThemeChoice; label: string; hint: string; icon: IconName }[] = [
  { value: 'system', label: 'System', hint: 'Follow this computer’s setting', icon: 'monitor' },
  { value: 'light', label: 'Light', hint: 'Dark text on a light background', icon: 'sun' },
  { value: 'dark', label: 'Dark', hint: 'Light text on a dark background', icon: 'moon' },
];

export function AppearanceSettings() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  return (
    <section className="card" aria-labelledby="appearance-title">
      <CardHeader id="appearance-title" title="Appearance" subtitle="Saved for this computer." />
      <fieldset className="card__body theme-choice">
        <legend className="visually-hidden">Theme</legend>
        {CHOICES.map((c) => (
          <label key={c.value} className="theme-choice__option">
            <input type="radio" name="theme" value={c.value} checked={theme === c.value} onChange={() => setTheme(c.value)} />
            <span className={`theme-choice__preview theme-choice__preview--${c.value}`} aria-hidden="true">
              <Icon name={c.icon} size={18} />
            </span>
            <span className="theme-choice__text">
              <span className="theme-choice__label">{c.label}</span>
              <span className="theme-choice__hint">{c.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
