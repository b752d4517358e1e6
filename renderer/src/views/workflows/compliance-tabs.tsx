import { useAppStore } from '../../store/index.js';
import '../cases/casework.css';

/** The two halves of the Compliance area: the frameworks and their requirements, and the workflows that do the work. */
export function ComplianceTabs({ current }: { current: 'requirements' | 'workflows' }) {
  const navigate = useAppStore((s) => s.navigate);
  const tabs: ['requirements' | 'workflows', string, string][] = [
    ['requirements', 'Frameworks and requirements', 'compliance'],
    ['workflows', 'Workflows', 'compliance/workflows'],
  ];
  return (
    <nav className="casework-tabs" aria-label="Compliance">
      {tabs.map(([id, label, route]) => (
        <a
          key={id}
          href={`#/${route}`}
          className="casework-tab"
          aria-current={id === current ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate(route);
          }}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
