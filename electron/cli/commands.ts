import type { Command } from 'commander';
import { registerDemoCommand } from './demo-command.js';

/** Commands that belong to later features register here, keeping cli.ts readable. */
export function registerExtraCommands(program: Command): void {
  registerDemoCommand(program);
}
