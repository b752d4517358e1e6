/**
 * The renderer's Content Security Policy, shared by both hosts: own scripts only, no eval,
 * no inline script, no remote anything. `connect-src 'self'` lets the browser build reach the loopback API.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
