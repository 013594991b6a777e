import { describe, expect, it } from '@jest/globals';
import { manifest } from '../../infra/manifest.js';
import { MAX_BUNDLE_BYTES } from '../../infra/lambda-bundling.js';
import { bundleLambda } from '../../bench/lambda-bundles.js';

/** What must never reach a Lambda bundle: the embedded local stores and their heavy dependencies. */
const LOCAL_ONLY = /shared\/adapters\/local\/|infra\/local\/|node_modules\/(dynalite|@node-rs\/jieba|minisearch|opencc-js|sm-crypto\/)|aws-cdk-lib/;

describe('Lambda bundles (the CDK bundling settings)', () => {
  it.each(manifest.functions.map((fn) => fn.name))('%s stays within budget and holds no local adapter', async (name) => {
    const report = await bundleLambda(name);
    expect(report.inputs.filter((input) => LOCAL_ONLY.test(input))).toEqual([]);
    expect(report.bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });
});
