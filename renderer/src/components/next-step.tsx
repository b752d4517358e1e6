import type { ReactNode } from 'react';
import type { ChannelName } from '../../../shared/contract.js';
import { useCanCall } from '../lib/use-can.js';
import { Section } from './detail-pane.js';

/** One button of a detail's next steps, shown only to roles that may call `channel` (the channel it ends in). */
export interface StepAction {
  channel: ChannelName;
  label: ReactNode;
  onClick: () => void;
  /** The step the item is waiting for. */
  primary?: boolean;
  danger?: boolean;
  disabled?: boolean;
  /** Why it is disabled, as a tooltip. */
  title?: string;
  'aria-label'?: string;
}

/**
 * The "Next step" section of a detail pane: the actions the signed-in role may take, in order;
 * nothing at all when it may take none. `children` go under the buttons (why one is unavailable).
 */
export function NextStep({ actions, children }: { actions: (StepAction | false | null | undefined)[]; children?: ReactNode }) {
  const can = useCanCall();
  const shown = actions.filter((a): a is StepAction => Boolean(a && can(a.channel)));
  if (shown.length === 0) return null;
  return (
    <Section title="Next step">
      <div className="ferpa-actions">
        {shown.map((a, i) => (
          <button
            key={i}
            type="button"
            className={a.primary ? 'btn btn--primary btn--sm' : a.danger ? 'btn btn--danger btn--sm' : 'btn btn--sm'}
            disabled={a.disabled}
            title={a.title}
            aria-label={a['aria-label']}
            onClick={a.onClick}
          >
            {a.label}
          </button>
        ))}
      </div>
      {children}
    </Section>
  );
}
