/**
 * The production build's Content-Security-Policy: scripts, workers, fetches only from the page's own
 * origin; no inline script and no eval. 'wasm-unsafe-eval' lets the worker compile the WASM backend's
 * kernels (it allows WebAssembly compilation only, not JavaScript eval). Set as a <meta> in the built index.html (csp plugin below)
 * and as a header by `vite preview`; the dev server has neither (its HMR client needs inline/eval).
 */
import type { Plugin } from 'vite';

/** Directive by directive; `blob:` and `data:` where the app makes its own (downloads, drawn digits, chart PNGs). */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self'",
  'connect-src': "'self'",
  // React sets style attributes (React Flow positions every node with one).
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
};

/** The policy as one header value. */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/**
 * Cross-origin isolation: with these the page (and its workers) get SharedArrayBuffer, so the WASM
 * backend runs its kernels on several threads; without them it runs one. COEP require-corp lets
 * the page load only same-origin resources or ones that opt in (everything here is same-origin).
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Headers `vite preview` sends (and the README's hosting notes ask any host to send). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  ...ISOLATION_HEADERS,
};

/** Adds the policy as a <meta> to the built index.html only (`apply: 'build'`). */
export function contentSecurityPlugin(): Plugin {
  return {
    name: 'wiregrad-content-security',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
    },
  };
}
