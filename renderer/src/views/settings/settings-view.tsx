import type { ComponentType } from 'react';
import { mayCall, type ChannelName } from '../../../../shared/contract.js';
import { Icon, type IconName } from '../../components/icons.js';
import { PageHeader } from '../../components/page-header.js';
import { useAppStore } from '../../store/index.js';
import { AppearanceSettings } from './appearance-settings.js';
import { PassphraseSettings } from './passphrase-settings.js';
import { SecuritySettings } from './security-settings.js';
import { UsersSettings } from './users-settings.js';
import { WorkspaceSettings } from './workspace-settings.js';
import { FerpaSettings } from './ferpa-settings.js';

interface Section {
  id: string;
  label: string;
  icon: IconName;
  /** Shown only to roles that may call this channel (the one the section reads). */
  channel?: ChannelName;
  component: ComponentType;
}

/** Settings sections; like the main registry, hidden sections are still enforced by the core. */
const SECTIONS: Section[] = [
  { id: 'account', label: 'Your account', icon: 'user', component: PassphraseSettings },
  { id: 'security', label: 'Security', icon: 'shieldCheck', component: SecuritySettings },
  { id: 'appearance', label: 'Appearance', icon: 'sun', component: AppearanceSettings },
  { id: 'users', label: 'Users', icon: 'users', channel: 'users.list', component: UsersSettings },
  { id: 'workspace', label: 'Workspace', icon: 'shield', component: WorkspaceSettings },
  { id: 'ferpa', label: 'FERPA rules', icon: 'disclosures', channel: 'ferpa.policy', component: FerpaSettings },
];

export function SettingsView() {
  const route = useAppStore((s) => s.route);
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const navigate = useAppStore((s) => s.navigate);
  const sections = SECTIONS.filter((s) => !s.channel || mayCall(role, s.channel));
  const wanted = route.split('/')[1];
  const current = sections.find((s) => s.id === wanted) ?? (sections[0] as Section);
  const Current = current.component;
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle={`Your passphrase, second factor and appearance${sections.some((s) => s.id === 'users') ? ', the people who use this workspace,' : ''} and facts about this workspace.`} />
      <div className="page__body settings">
        <nav className="settings__nav" aria-label="Settings sections">
          <ul>
            {sections.map((s) => (
              <li key={s.id}>
                <a
                  href={`#/settings/${s.id}`}
                  className="settings__link"
                  aria-current={s.id === current.id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`settings/${s.id}`);
                  }}
                >
                  <Icon name={s.icon} size={15} />
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings__content">
          <Current />
        </div>
      </div>
    </div>
  );
}
