import { REPORT_KINDS, type reportChannels } from '../../../shared/contract/reports.js';
import type { Handlers } from '../dispatch.js';
import { generateReport, listReports } from '../reports/reports.js';

type ReportHandlers = Pick<Handlers, keyof typeof reportChannels>;

export const reportHandlers: ReportHandlers = {
  'reports.kinds': () => ({ kinds: [...REPORT_KINDS] }),
  'reports.generate': async (req, { ws, op, signal, progress }) => ({
    report: await generateReport(ws, op, req, { signal, onProgress: (done, total) => progress('report', done, total) }),
  }),
  'reports.list': (req, { ws }) => listReports(ws, req),
};
