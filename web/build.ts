import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));

export interface PortalBuild {
  /** paths of the written files, relative to `outDir` */
  readonly files: string[];
  readonly jsBytes: number;
  readonly jsGzipBytes: number;
}

/**
 * Builds the portal into `outDir`: one hashed script and one hashed style sheet under `assets/`
 * and `index.html` referring to them. Everything is bundled (no CDN) and nothing is inline, so
 * the portal runs under `script-src 'self'; style-src 'self'`.
 */
export async function buildPortal(options: { outDir: string; minify?: boolean }): Promise<PortalBuild> {
  const outDir = resolve(options.outDir);
  const result = await build({
    absWorkingDir: webDir,
    entryPoints: { app: 'src/main.tsx' },
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  let jsName = '';
  let cssName = '';
  let jsBytes = 0;
  let jsGzipBytes = 0;
  const files: string[] = [];
  for (const output of result.outputFiles) {
    const name = relative(join(outDir, 'assets'), output.path);
    if (name.endsWith('.js')) {
      jsName = name;
      jsBytes += output.contents.byteLength;
      jsGzipBytes += gzipSync(output.contents, { level: 9 }).byteLength;
    } else if (name.endsWith('.css')) {
      cssName = name;
    }
    await writeFile(output.path, output.contents);
    files.push(relative(outDir, output.path));
  }
  if (!jsName || !cssName) throw new Error('the portal build produced no script or no style sheet');
  const template = await readFile(join(webDir, 'index.html'), 'utf8');
  const html = template.replace('{{APP_JS}}', jsName).replace('{{APP_CSS}}', cssName);
  await writeFile(join(outDir, 'index.html'), html);
  files.push('index.html');
  return { files, jsBytes, jsGzipBytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ?? join(webDir, '..', 'dist', 'web');
  const built = await buildPortal({ outDir });
  console.log(`portal built into ${relative(process.cwd(), outDir)}: ${built.files.length} files, script ${built.jsBytes} bytes (${built.jsGzipBytes} gzipped)`);
}
