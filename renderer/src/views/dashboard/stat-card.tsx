import { Icon, type IconName } from '../../components/icons.js';

export function StatCard({ label, value, note, icon, tone = 'neutral' }: { label: string; value: string; note: string; icon: IconName; tone?: 'neutral' | 'ok' | 'danger' }) {
  return (
    <div className={`card stat stat--${tone}`}>
      <div className="stat__label">
        <Icon name={icon} size={14} />
        {label}
      </div>
      <div className="stat__value num">{value}</div>
      <div className="stat__note">{note}</div>
    </div>
  );
}
