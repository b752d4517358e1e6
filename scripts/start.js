#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; where it is not (its binary download is
// impossible on some machines), the same app in the browser through `custos serve`, on a demo workspace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUTS = ['dist/electron/main.js', 'dist/electron/cli.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'].map((p) => join(ROOT, p));
const SOURCES = ['electron', 'shared', 'renderer'].map((p) => join(ROOT, p));
const DEMO_DIR = join(ROOT, 'demo-workspace');
const DEMO_PASSPHRASE = 'custos-demo-passphrase';
const CLI = join(ROOT, 'bin', 'custos.js');

/** The Electron executable, or null when the package or its downloaded binary is missing. */
async function electronBinary() {
  try {
    const mod = await import('electron');
    const path = mod.default;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    // The package throws when its postinstall could not download the binary.
    return null;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when an output is missing or older than a source file, so a fresh clone and a pulled change both just work. */
function buildIfNeeded() {
  const missing = OUTPUTS.some((p) => !existsSync(p));
  const stale = !missing && Math.max(...SOURCES.filter(existsSync).map(newestMtime)) > Math.min(...OUTPUTS.map((p) => statSync(p).mtimeMs));
  if (!missing && !stale) return;
  process.stderr.write(missing ? 'Building Custos (first run)…\n' : 'Sources changed since the last build; rebuilding…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Build chatter goes to stderr, so stdout carries only what a person (or a script) needs: the address.
  const result = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: ['inherit', 2, 2], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write('The build failed (see above); fix it and run `npm start` again.\n');
    process.exit(result.status ?? 1);
  }
}

/** Waits for a child and exits with its status; stopping goes through the child, so it can lock the workspace first. */
function supervise(child) {
  // Ctrl+C reaches the child directly (the terminal signals the whole process group); a second copy would cut its shutdown short.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function startDesktop(electron) {
  buildIfNeeded();
  const env = { ...process.env };
  // Set in some shells and CI images; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  supervise(spawn(electron, [join(ROOT, 'dist', 'electron', 'main.js'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env }));
}

function startInBrowser() {
  process.stderr.write(
    'Electron is not installed here (its binary could not be downloaded on this machine), so the desktop window cannot open.\n' +
      'Custos will run in your browser instead: the same app, served on 127.0.0.1 only, on a demo workspace.\n',
  );
  buildIfNeeded();
  const passphrase = process.env.CUSTOS_PASSPHRASE || DEMO_PASSPHRASE;
  const env = { ...process.env, CUSTOS_PASSPHRASE: passphrase };
  if (!existsSync(DEMO_DIR)) {
    process.stderr.write(`Creating a demo workspace at ${DEMO_DIR} (20,000 ledger events; about ten seconds)…\n`);
    const demo = spawnSync(process.execPath, [CLI, 'demo', DEMO_DIR, '--events', '20000'], { cwd: ROOT, stdio: ['inherit', 2, 2], env });
    if (demo.status !== 0) {
      process.stderr.write('The demo workspace could not be created (see above).\n');
      process.exit(demo.status ?? 1);
    }
  }
  const child = spawn(process.execPath, [CLI, 'serve', DEMO_DIR], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
  supervise(child);
  let first = true;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!first) return void process.stdout.write(`${line}\n`);
    first = false;
    process.stdout.write(
      `\nCustos is running. Open this address in your browser:\n\n  ${line}\n\n` +
        `Sign in as: admin\nPassphrase:  ${passphrase}\n` +
        (process.env.CUSTOS_PASSPHRASE ? '' : `(the demo passphrase; set CUSTOS_PASSPHRASE before the first \`npm start\` to choose another)\n`) +
        `Other demo users (maria.chen, david.okafor, priya.raman, sam.wright) share that passphrase.\n` +
        'Press Ctrl+C to stop; the workspace is locked and checkpointed on the way out.\n\n',
    );
  });
}

const electron = await electronBinary();
if (electron) await startDesktop(electron);
else startInBrowser();
