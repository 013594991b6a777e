import { describe, it, expect, afterEach } from '@jest/globals';
import { encodePath, lambdaCredentials, signedFetch } from '../../shared/adapters/aws/signed-fetch.js';

type Sent = { url: string; init: RequestInit };

/** A fetch that records what it was asked and answers with the given response. */
function recordingFetch(answer: () => Response = () => new Response(null, { status: 200 })) {
  const sent: Sent[] = [];
  const fake = async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return answer();
  };
  return { fetch: fake as typeof fetch, sent };
}

// the example requests and keys of the S3 SigV4 documentation ("Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk"), with their published signatures
const exampleCredentials = async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
const exampleClock = { now: () => new Date('2013-05-24T00:00:00Z') };
const authorization = (sent: Sent | undefined) => (sent?.init.headers as Record<string, string>).authorization;

describe('signedFetch', () => {
  it('signs the documented S3 examples with their published signatures', async () => {
    const { fetch, sent } = recordingFetch();
    const send = signedFetch({ service: 's3', region: 'us-east-1', credentials: exampleCredentials, clock: exampleClock, fetch });
    await send({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt', headers: { range: 'bytes=0-9' } });
    await send({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?lifecycle' });
    await send({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J' });
    expect(authorization(sent[0])).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(authorization(sent[1])).toMatch(/Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
    expect(authorization(sent[2])).toMatch(/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
    expect(sent[2]?.url).toBe('https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J');
  });

  it('sends the body, the payload hash and the session token, never a host header, and does not follow redirects', async () => {
    const { fetch, sent } = recordingFetch();
    const send = signedFetch({
      service: 'es',
      region: 'cn-north-1',
      credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'session-token' }),
      clock: exampleClock,
      fetch,
    });
    await send({ method: 'POST', url: 'https://search.example.com/catalog/_search', headers: { 'content-type': 'application/json' }, body: '{}' });
    const headers = sent[0]?.init.headers as Record<string, string>;
    expect(sent[0]?.init).toMatchObject({ method: 'POST', body: '{}', redirect: 'manual' });
    expect(headers).not.toHaveProperty('host');
    expect(headers).toMatchObject({
      'x-amz-date': '20130524T000000Z',
      'x-amz-security-token': 'session-token',
      // SHA-256 of '{}'
      'x-amz-content-sha256': '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    });
    expect(headers.authorization).toContain('Credential=AKIDTEST/20130524/cn-north-1/es/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });

  it('answers status, headers and body bytes whatever the status', async () => {
    const { fetch } = recordingFetch(() => new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403, headers: { 'x-amz-request-id': 'r1' } }));
    const send = signedFetch({ service: 's3', region: 'us-east-1', credentials: exampleCredentials, fetch });
    const response = await send({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/a' });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amz-request-id')).toBe('r1');
    expect(new TextDecoder().decode(response.body)).toBe('<Error><Code>AccessDenied</Code></Error>');
  });
});

describe('encodePath', () => {
  it('encodes each segment the way SigV4 signs it and keeps the slashes', () => {
    expect(encodePath("材料/a b/x+y!'()*~._-.pdf")).toBe('%E6%9D%90%E6%96%99/a%20b/x%2By%21%27%28%29%2A~._-.pdf');
  });
});

describe('lambdaCredentials', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads the role credentials the Lambda runtime puts into the environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'ASIATEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    expect(await lambdaCredentials()()).toMatchObject({ accessKeyId: 'ASIATEST', secretAccessKey: 'secret', sessionToken: 'token' });
    delete process.env.AWS_ACCESS_KEY_ID;
    await expect(lambdaCredentials()()).rejects.toThrow();
  });
});
