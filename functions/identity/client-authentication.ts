import { unauthenticated } from '../../shared/errors.js';
import type { ClientAuthentication } from '../../shared/identity/issue-platform-token.js';

/**
 * How the client of a client_credentials request authenticated (RFC 6749 2.3.1, RFC 7523 2.2):
 * HTTP Basic (client_secret_basic, id and secret form-encoded inside), a client assertion
 * (private_key_jwt), or id and secret in the body (client_secret_post). Exactly one method.
 */
export function clientAuthenticationOf(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string; client_assertion?: string; client_assertion_type?: string },
): ClientAuthentication {
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  const methods = [basic, body.client_assertion, body.client_secret].filter(Boolean).length;
  if (methods !== 1) throw unauthenticated('Authenticate the client with exactly one method', 'invalid_client');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthenticated('The client authentication failed', 'invalid_client');
    const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    try {
      return { method: 'client_secret', clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      throw unauthenticated('The client authentication failed', 'invalid_client');
    }
  }
  if (body.client_assertion) {
    if (!body.client_assertion_type) throw unauthenticated('client_assertion_type is required with client_assertion', 'invalid_client');
    return { method: 'private_key_jwt', clientAssertion: body.client_assertion };
  }
  if (!body.client_id) throw unauthenticated('client_id is required with client_secret', 'invalid_client');
  return { method: 'client_secret', clientId: body.client_id, clientSecret: body.client_secret! };
}
