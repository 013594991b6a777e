import type { Manifest } from './manifest.js';

/**
 * What the web portal's responses carry, read by both servers of the portal: the local gateway
 * (`npm start`) and the CloudFront response headers policy in AWS. Everything the portal loads
 * is bundled and served from its own origin, and it calls only the API on that same origin, so
 * the policy allows 'self' and nothing else: no inline script or style, no framing, no plugins.
 * Images may also be data: URLs (small icons the bundler inlines). The one exception is the blob
 * store: the browser PUTs uploaded materials to the upload URLs the API hands out, and fetches
 * materials too large for an API response from the download URL the API redirects to. Locally
 * both are on the same origin; in AWS they are presigned URLs of the blob bucket, whose origin is
 * passed here.
 */
export function portalContentSecurityPolicy(blobOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...blobOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** the portal's CSP where uploads go to the portal's own origin (the local runtime) */
export const PORTAL_CONTENT_SECURITY_POLICY = portalContentSecurityPolicy();

/** the security headers of every portal response besides the CSP; CloudFront sets the same ones */
export const PORTAL_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)',
} as const;

/** hashed file names never change content, so browsers may keep them for a year without asking */
export const PORTAL_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files, so it is revalidated on every load */
export const PORTAL_INDEX_CACHE_CONTROL = 'no-cache';
/** the folder of hashed files in a portal build */
export const PORTAL_ASSET_PREFIX = '/assets/';

/**
 * The path patterns the API answers, from the manifest's routes: `/v1/*`, `/.well-known/*`,
 * `/health`, `/openapi.json`. Every other path belongs to the portal (CloudFront behaviours in
 * AWS, the local gateway's split), so a new API route under a new first segment moves there itself.
 */
export function apiPathPatterns(manifest: Manifest): string[] {
  const patterns = new Set<string>();
  for (const fn of manifest.functions) {
    for (const route of fn.routes ?? []) {
      const [first, ...rest] = route.path.split('/').filter(Boolean);
      if (first) patterns.add(rest.length > 0 ? `/${first}/*` : `/${first}`);
    }
  }
  return [...patterns].sort();
}

/** whether a request path is one of the API's patterns (a `/x/*` pattern also covers `/x` itself) */
export function isApiPath(patterns: readonly string[], path: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('/*') ? path === pattern.slice(0, -2) || path.startsWith(pattern.slice(0, -1)) : path === pattern || path === `${pattern}/`,
  );
}
