import { describe, expect, it } from '@jest/globals';
import { clientAuthenticationOf } from '../../functions/identity/client-authentication.js';
import { AppError } from '../../shared/errors.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a refusal');
};

describe('client authentication at the token endpoint', () => {
  it('reads client_secret_basic, form-decoding id and secret', () => {
    expect(clientAuthenticationOf(basic('zj-regional', 'p@ss:word+1 2'), {})).toEqual({ method: 'client_secret', clientId: 'zj-regional', clientSecret: 'p@ss:word+1 2' });
  });

  it('reads client_secret_post and private_key_jwt', () => {
    expect(clientAuthenticationOf(undefined, { client_id: 'a', client_secret: 'b' })).toEqual({ method: 'client_secret', clientId: 'a', clientSecret: 'b' });
    expect(clientAuthenticationOf(undefined, { client_assertion: 'x.y.z', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' })).toEqual({
      method: 'private_key_jwt',
      clientAssertion: 'x.y.z',
    });
  });

  it('refuses no method, two methods, and malformed credentials (401 invalid_client)', () => {
    for (const [authorization, body] of [
      [undefined, {}],
      [basic('a', 'b'), { client_secret: 'c', client_id: 'a' }],
      [undefined, { client_secret: 'no-id' }],
      [undefined, { client_assertion: 'x.y.z' }],
      [`Basic ${Buffer.from('no-colon').toString('base64')}`, {}],
      [`Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`, {}],
    ] as const) {
      const error = refusal(() => clientAuthenticationOf(authorization, body));
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('invalid_client');
      expect(error.kind).toBe('unauthenticated');
    }
  });
});
