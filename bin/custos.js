#!/usr/bin/env node
// The `custos` command: runs the compiled CLI (build with `npm run build`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'electron', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('custos: the app is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv);
