import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * The desktop window loads the renderer from its own standard, secure scheme instead of file://
 * (Electron's security checklist): the page gets a real origin, so CSP 'self' means exactly our
 * files, and IPC can check that a caller is our page.
 */
export const RENDERER_SCHEME = 'custos';
export const RENDERER_HOST = 'app';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY = `${RENDERER_ORIGIN}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** True when `url` belongs to our renderer's origin (IPC callers must). */
export function isRendererUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${RENDERER_SCHEME}:` && u.host === RENDERER_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `root` that a renderer URL names, or null when the URL is foreign or escapes `root`.
 * A path that names no file falls back to index.html, as the loopback host does for client-side routes.
 */
export function rendererFile(url: string, root: string): string | null {
  if (!isRendererUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = resolve(root, `.${pathname}`);
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  if (rel === '' || !existsSync(file) || statSync(file).isDirectory()) return join(root, 'index.html');
  return file;
}

/** The ticket in `custos://app/download/<ticket>`, or null when the URL is anything else. */
export function downloadTicketOf(url: string): string | null {
  if (!isRendererUrl(url)) return null;
  const m = /^\/download\/([A-Za-z0-9_-]{16,64})$/.exec(new URL(url).pathname);
  return m ? (m[1] as string) : null;
}

/** The Content-Type the renderer's files are served with (module scripts need an exact one). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
