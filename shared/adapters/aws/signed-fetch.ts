import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { escapeUri, escapeUriPath } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest, QueryParameterBag } from '@smithy/types';
import { systemClock, type Clock } from '../../ports/clock.js';

/*
 * SigV4-signed HTTP over global fetch, for the AWS services whose SDK clients would not fit
 * the 400 KB bundle budget (S3, OpenSearch). The signer and the node-crypto SHA-256 are the
 * ones every bundle already carries through the DynamoDB client.
 */

/** where signing keys come from: the Lambda role's in AWS (lambdaCredentials), fixed keys in tests */
export type CredentialsProvider = () => Promise<AwsCredentialIdentity>;

export interface SignedRequest {
  readonly method: string;
  /** absolute URL whose path is already percent-encoded (see encodePath) */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

export interface SignedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

export interface SigningOptions {
  /** signing name: 's3', 'es' */
  readonly service: string;
  readonly region: string;
  readonly credentials: CredentialsProvider;
}

/** the payload hash S3 expects in presigned URLs, whose body the signer never sees */
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * The credentials of a Lambda function: the runtime puts the execution role's keys into the
 * environment, so reading them needs none of the SDK's other providers (which the bundles
 * leave out).
 */
export function lambdaCredentials(): CredentialsProvider {
  return fromEnv();
}

/**
 * Percent-encodes each '/'-separated segment of a path the way SigV4 does (everything but
 * A-Z a-z 0-9 - . _ ~), so the URL sent and the path signed are the same string.
 */
export function encodePath(path: string): string {
  return escapeUriPath(path);
}

/**
 * A fetch that signs every request with SigV4 and reads the whole response body.
 * 1. Adds the host header and signs method, path, query, headers and body (S3 signs the
 *    path as sent; every other service signs it encoded once more, as SigV4 requires).
 * 2. Sends with the injected fetch; redirects are returned, not followed, because a
 *    signature is only valid for the host it was made for.
 * 3. Answers status, headers and body bytes whatever the status: callers decide what an
 *    error is.
 */
export function signedFetch(options: SigningOptions & { fetch?: typeof fetch; clock?: Clock }): (request: SignedRequest) => Promise<SignedResponse> {
  const signer = createSigner(options, { applyChecksum: true });
  const send = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;

  return async (request) => {
    const url = new URL(request.url);
    const signed = await signer.sign(toHttpRequest(request.method, url, request.headers, request.body), { signingDate: clock.now() });
    // fetch sends the Host of the URL and ignores a host header
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
    const response = await send(toUrlString(url, signed.query), {
      method: request.method,
      headers,
      redirect: 'manual',
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return { status: response.status, headers: response.headers, body: new Uint8Array(await response.arrayBuffer()) };
  };
}

/**
 * A presigned URL: anyone holding it may send this one request until it expires.
 * Every header given is signed and stays a header (the client must send each one as given):
 * S3 ignores checksum headers hoisted into the query string. The payload is unsigned, as S3
 * requires for presigned URLs.
 */
export async function presignUrl(
  options: SigningOptions & {
    request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>> };
    expiresInSeconds: number;
    signingDate: Date;
  },
): Promise<string> {
  const signer = createSigner(options, { applyChecksum: false });
  const url = new URL(options.request.url);
  const given = Object.keys(options.request.headers).map((name) => name.toLowerCase());
  const request = toHttpRequest(options.request.method, url, { ...options.request.headers, 'x-amz-content-sha256': UNSIGNED_PAYLOAD });
  const presigned = await signer.presign(request, {
    expiresIn: options.expiresInSeconds,
    signingDate: options.signingDate,
    signableHeaders: new Set(given),
    unhoistableHeaders: new Set(given),
  });
  return toUrlString(url, presigned.query);
}

function createSigner(options: SigningOptions, { applyChecksum }: { applyChecksum: boolean }): SignatureV4 {
  return new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    uriEscapePath: options.service !== 's3',
    applyChecksum,
  });
}

function toHttpRequest(method: string, url: URL, headers: Readonly<Record<string, string>> = {}, body?: Uint8Array | string): HttpRequest {
  const query: QueryParameterBag = {};
  for (const [name, value] of url.searchParams) {
    const previous = query[name];
    query[name] = previous === undefined || previous === null ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    ...(body === undefined ? {} : { body }),
  };
}

/** Serializes the query with the encoding the signer used, so no character is read differently. */
function toUrlString(url: URL, query: QueryParameterBag = {}): string {
  const pairs = Object.entries(query).flatMap(([name, value]) =>
    (value === null ? [] : Array.isArray(value) ? value : [value]).map((item) => `${escapeUri(name)}=${escapeUri(item)}`),
  );
  return `${url.origin}${url.pathname}${pairs.length === 0 ? '' : `?${pairs.join('&')}`}`;
}

/** The DNS suffix of AWS endpoints in a region: the China regions (cn-*) have their own. */
export function awsDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}
