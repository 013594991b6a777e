import { describe, expect, it } from '@jest/globals';
import { loadConfig, MAX_INLINE_FILE_BYTES } from '../../shared/config.js';

describe('the largest file an API response carries (INLINE_FILE_BYTES)', () => {
  const env = { ISSUER: 'https://gov.example' };

  it('is 4 MiB unless configured: what a 6 MB Lambda response holds after base64, with room for headers', () => {
    expect(MAX_INLINE_FILE_BYTES).toBe(4 * 1024 * 1024);
    expect(Math.ceil(MAX_INLINE_FILE_BYTES / 3) * 4).toBeLessThan(6 * 1000 * 1000);
    expect(loadConfig(env).inlineFileBytes).toBe(MAX_INLINE_FILE_BYTES);
  });

  it('may be lowered, never raised past what a response holds', () => {
    expect(loadConfig({ ...env, INLINE_FILE_BYTES: '2048' }).inlineFileBytes).toBe(2048);
    expect(() => loadConfig({ ...env, INLINE_FILE_BYTES: String(MAX_INLINE_FILE_BYTES + 1) })).toThrow('INLINE_FILE_BYTES must be from 1 to 4194304');
    expect(() => loadConfig({ ...env, INLINE_FILE_BYTES: '0' })).toThrow('INLINE_FILE_BYTES');
    expect(() => loadConfig({ ...env, INLINE_FILE_BYTES: '1.5' })).toThrow('INLINE_FILE_BYTES');
  });
});
