import type { Command } from 'commander';
import { registerBundleCommand, registerImportCommand } from './bundle-commands.js';
import { registerComplianceCommand } from './compliance-command.js';
import { registerDemoCommand } from './demo-command.js';
import { registerDecisionCommands, registerExportCommand } from './export-command.js';
import { registerRekeyCommand } from './rekey-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunDueCommand } from './run-due-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerCosignCommand, registerWitnessCommand } from './witness-commands.js';

/** Commands that belong to later features register here, keeping cli.ts readable. */
export function registerExtraCommands(program: Command): void {
  registerDemoCommand(program);
  registerExportCommand(program);
  registerDecisionCommands(program);
  registerBundleCommand(program);
  registerImportCommand(program);
  registerRekeyCommand(program);
  registerComplianceCommand(program);
  registerReportCommand(program);
  registerSweepCommand(program);
  registerRunDueCommand(program);
  registerCosignCommand(program);
  registerWitnessCommand(program);
}
