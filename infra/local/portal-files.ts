import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  PORTAL_ASSET_CACHE_CONTROL,
  PORTAL_ASSET_PREFIX,
  PORTAL_CONTENT_SECURITY_POLICY,
  PORTAL_INDEX_CACHE_CONTROL,
  PORTAL_SECURITY_HEADERS,
} from '../portal-policy.js';

interface PortalFile {
  readonly body: Buffer;
  /** the gzip-encoded body, when compressing saves something */
  readonly gzipped?: Buffer;
  readonly contentType: string;
}

/** The built portal held in memory: path (`/index.html`, `/assets/app-HASH.js`) → file. */
export type PortalFiles = ReadonlyMap<string, PortalFile>;

export interface PortalResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg)/;

let processBuild: Promise<PortalFiles> | undefined;

/**
 * The portal of this checkout, built once per process (web/build.ts, the same build CloudFront
 * serves) into a temporary folder and read into memory; later runtimes of the process reuse it.
 */
export function builtPortal(): Promise<PortalFiles> {
  processBuild ??= (async () => {
    const { buildPortal } = await import('../../web/build.js');
    const outDir = await mkdtemp(join(tmpdir(), 'gsp-portal-'));
    try {
      await buildPortal({ outDir, minify: true });
      return await loadPortalFiles(outDir);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  })();
  processBuild.catch(() => {
    processBuild = undefined;
  });
  return processBuild;
}

/** Reads every file of a portal build folder into memory, with its content type and gzip form. */
export async function loadPortalFiles(dir: string): Promise<PortalFiles> {
  const files = new Map<string, PortalFile>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const body = await readFile(path);
    const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()] ?? 'application/octet-stream';
    const gzipped = COMPRESSIBLE.test(contentType) ? gzipSync(body, { level: 9 }) : undefined;
    files.set(`/${relative(dir, path).split(sep).join('/')}`, {
      body,
      contentType,
      ...(gzipped && gzipped.length < body.length ? { gzipped } : {}),
    });
  }
  if (!files.has('/index.html')) throw new Error(`the portal build in ${dir} has no index.html`);
  return files;
}

/**
 * Answers a GET or HEAD for a portal path, as CloudFront does in AWS:
 * 1. a path that is not clean (percent-encoding that fails, `..` or `.` segments, back-slashes,
 *    encoded slashes, NUL) is refused with 400, so nothing outside the build is ever named;
 * 2. `/assets/…` is the hashed file, cached for a year as immutable, or 404 (never index.html,
 *    which a browser would otherwise run as a script);
 * 3. any other path is index.html, revalidated on every load, so deep links reach the router.
 * Every answer carries the portal's CSP and security headers; gzip when the client accepts it.
 */
export function portalResponse(files: PortalFiles, request: { method: string; path: string; acceptEncoding?: string | undefined }): PortalResponse {
  const headers: Record<string, string> = { 'content-security-policy': PORTAL_CONTENT_SECURITY_POLICY, ...PORTAL_SECURITY_HEADERS };
  const plain = (status: number, text: string): PortalResponse => ({
    status,
    headers: { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: request.method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(text),
  });
  const path = cleanPath(request.path);
  if (path === undefined) return plain(400, 'Bad request path');

  const asset = path.startsWith(PORTAL_ASSET_PREFIX);
  const file = asset ? files.get(path) : files.get('/index.html');
  if (!file) return plain(404, 'Not found');
  const gzip = file.gzipped !== undefined && /\bgzip\b/.test(request.acceptEncoding ?? '');
  const body = gzip ? file.gzipped! : file.body;
  return {
    status: 200,
    headers: {
      ...headers,
      'content-type': file.contentType,
      'cache-control': asset ? PORTAL_ASSET_CACHE_CONTROL : PORTAL_INDEX_CACHE_CONTROL,
      'content-length': String(body.length),
      ...(file.gzipped ? { vary: 'accept-encoding' } : {}),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: request.method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/** the decoded path, or undefined when it could name something outside the build */
function cleanPath(raw: string): string | undefined {
  if (/%2f|%5c|%00/i.test(raw)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!path.startsWith('/') || path.includes('\\') || path.includes('\0')) return undefined;
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return path;
}
