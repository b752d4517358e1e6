import { useAppStore } from '../store/index.js';

/** One tab of an area: its id, its label, and the route it opens. */
export type AreaTab<Id extends string> = readonly [id: Id, label: string, route: string];

/** The halves of an area (Cases: matters and subjects; Compliance: requirements and workflows) as links in the route. */
export function AreaTabs<Id extends string>({ label, tabs, current }: { label: string; tabs: readonly AreaTab<Id>[]; current: Id }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <nav className="casework-tabs" aria-label={label}>
      {tabs.map(([id, text, route]) => (
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
          {text}
        </a>
      ))}
    </nav>
  );
}
