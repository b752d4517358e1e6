import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or packaged app) root: the nearest folder above this file that holds `resources/`. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'policies'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('Custos cannot find its resources folder next to the application.');
}

export const APP_ROOT = findRoot();
export const RESOURCES_DIR = join(APP_ROOT, 'resources');
export const RENDERER_DIST = join(APP_ROOT, 'dist', 'renderer');

/** Absolute path of a file inside resources/. */
export function resourcePath(...parts: string[]): string {
  return resolve(RESOURCES_DIR, ...parts);
}
