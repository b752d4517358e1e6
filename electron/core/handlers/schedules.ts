import type { scheduleChannels } from '../../../shared/contract/schedules.js';
import type { Handlers } from '../dispatch.js';
import { approveSchedule, createSchedule, deleteSchedule, listScheduleRuns, listSchedules, setScheduleActive, updateSchedule } from '../schedules/schedules.js';

type ScheduleHandlers = Pick<Handlers, keyof typeof scheduleChannels>;

export const scheduleHandlers: ScheduleHandlers = {
  'schedules.create': (req, { ws, op, app }) => ({ schedule: createSchedule(ws, op, req, app.wiring.caseResources) }),
  'schedules.update': (req, { ws, op, app }) => {
    const { id, ...input } = req;
    return { schedule: updateSchedule(ws, op, id, input, app.wiring.caseResources) };
  },
  'schedules.setActive': (req, { ws, op }) => ({ schedule: setScheduleActive(ws, op, req.id, req.active) }),
  'schedules.approve': (req, { ws, op }) => ({ schedule: approveSchedule(ws, op, req.id, req.updatedAt, req.note) }),
  'schedules.delete': (req, { ws, op }) => deleteSchedule(ws, op, req.id),
  'schedules.list': (req, { ws }) => listSchedules(ws, req),
  'schedules.runs': (req, { ws }) => ({ runs: listScheduleRuns(ws, req.id, req.limit) }),
};
