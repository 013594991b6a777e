import { build, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLING, LAMBDA_EXTERNAL_MODULES, lambdaEntry } from '../infra/lambda-bundling.js';

export interface BundleReport {
  readonly name: string;
  readonly bytes: number;
  /** input files of the bundle, to prove local adapters stay out */
  readonly inputs: readonly string[];
  /** the largest inputs by bytes in the output */
  readonly largest: readonly { path: string; bytes: number }[];
}

/** Bundles a function exactly as the CDK stack does (in memory) and reads the esbuild metafile. */
export async function bundleLambda(name: string, root: string = process.cwd()): Promise<BundleReport> {
  const result = await build({
    entryPoints: [lambdaEntry(name)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    outfile: `dist/${name}/index.mjs`,
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    platform: LAMBDA_BUNDLING.platform,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    minify: LAMBDA_BUNDLING.minify,
    treeShaking: LAMBDA_BUNDLING.treeShaking,
    keepNames: LAMBDA_BUNDLING.keepNames,
    banner: { js: LAMBDA_BUNDLING.banner },
    external: [...LAMBDA_EXTERNAL_MODULES],
    logLevel: 'silent',
  });
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  return {
    name,
    bytes: output.bytes,
    inputs: Object.keys(output.inputs),
    largest: Object.entries(output.inputs)
      .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 5),
  };
}
