import { Icon } from '../../components/icons.js';
import { Logo } from '../../components/logo.js';
import { useAppStore } from '../../store/index.js';
import { SECTION_LABELS, visibleViews, type ViewDef } from '../registry.js';

function NavLink({ view, current }: { view: ViewDef; current: boolean }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <a
      href={`#/${view.id}`}
      className="nav__link"
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(view.id);
      }}
    >
      <Icon name={view.icon} />
      <span>{view.label}</span>
    </a>
  );
}

const SECTIONS: ViewDef['section'][] = ['overview', 'casework', 'records'];

/** Left navigation, built from the view registry and filtered by role. */
export function SideNav({ current }: { current: string }) {
  const role = useAppStore((s) => s.user?.role ?? 'viewer');
  const views = visibleViews(role);
  const bottom = views.filter((v) => v.section === 'workspace');
  return (
    <aside className="sidenav">
      <div className="sidenav__brand">
        <Logo size={22} />
        <span>Custos</span>
      </div>
      <nav className="nav" aria-label="Main">
        <div className="nav__groups">
          {SECTIONS.map((section) => {
            const items = views.filter((v) => v.section === section);
            if (items.length === 0) return null;
            const label = SECTION_LABELS[section];
            const headingId = `nav-section-${section}`;
            return (
              <div key={section} className="nav__group">
                {label && (
                  <div className="nav__section" id={headingId}>
                    {label}
                  </div>
                )}
                <ul className="nav__list" aria-labelledby={label ? headingId : undefined}>
                  {items.map((v) => (
                    <li key={v.id}>
                      <NavLink view={v} current={v.id === current} />
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
        <ul className="nav__list nav__list--bottom">
          {bottom.map((v) => (
            <li key={v.id}>
              <NavLink view={v} current={v.id === current} />
            </li>
          ))}
        </ul>
      </nav>
    </aside>
  );
}
