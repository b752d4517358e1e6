import { eventShapes } from '../ledger/details-shape.js';

/** Details of the workflow events (see ledger/details-shape.ts). */
export const WORKFLOW_EVENTS = eventShapes({
  'workflows.start': {
    template: 'data',
    title: 'text',
    owner: 'person',
    stakeholders: 'person',
    due_at: 'data',
    case_id: 'data',
    period: 'data',
    steps: 'data',
    scheduled: 'data',
  },
  'workflows.advance': { template: 'data', step: 'data', outcome: 'data', data: 'text', note: 'text', completed: 'data', from: 'data', to: 'data' },
  'workflows.cancel': { template: 'data', reason: 'text', pending: 'data', from: 'data', to: 'data' },
  'workflows.assign': { from: 'person', to: 'person', stakeholders_from: 'person', stakeholders: 'person' },
  'workflows.schedule': { scheduled: 'data', recurrence: 'data' },
});
