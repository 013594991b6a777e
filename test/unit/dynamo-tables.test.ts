import { describe, it, expect } from '@jest/globals';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';

describe('awsTables', () => {
  const env = { TABLE_IDENTITY: 'GovPlatform-IdentityTable-1A2B3C', AWS_REGION: 'cn-north-1' };

  it('names a granted table from its TABLE_* variable', () => {
    expect(awsTables(env).name('identity')).toBe('GovPlatform-IdentityTable-1A2B3C');
  });

  it('fails fast, naming the variable, for a table the function was not granted', () => {
    const tables = awsTables(env);
    expect(() => tables.name('platform')).toThrow(/TABLE_PLATFORM is not set/);
    expect(() => awsTables({ TABLE_PLATFORM: '' }).name('platform')).toThrow(/TABLE_PLATFORM/);
  });

  it('reads the environment it is given, not process.env', () => {
    const previous = process.env.TABLE_IDENTITY;
    process.env.TABLE_IDENTITY = 'from-process-env';
    try {
      expect(awsTables(env).name('identity')).toBe('GovPlatform-IdentityTable-1A2B3C');
      expect(awsTables().name('identity')).toBe('from-process-env');
    } finally {
      if (previous === undefined) delete process.env.TABLE_IDENTITY;
      else process.env.TABLE_IDENTITY = previous;
    }
  });

  it('shares one document client per cold start that drops undefined attributes', () => {
    const first = awsTables(env).client;
    expect(awsTables({}).client).toBe(first);
    expect(first.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
