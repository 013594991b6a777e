import type { Clock } from '../../ports/clock.js';
import { lambdaCredentials, signedFetch, type CredentialsProvider, type SignedResponse, awsDomain } from './signed-fetch.js';

/*
 * The AWS JSON protocol over signedFetch, for KMS (JSON 1.1) and SQS (JSON 1.0): every
 * operation is a signed POST of a JSON body to the service's regional endpoint, named by the
 * X-Amz-Target header. Speaking it directly keeps their SDK clients (about 55 KB together) out
 * of the bundles.
 */

export interface AwsJsonServiceOptions {
  /** signing name and endpoint prefix: 'kms', 'sqs' */
  readonly service: string;
  /** the X-Amz-Target prefix: 'TrentService', 'AmazonSQS' */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  readonly region: string;
  /** the Lambda role's by default (lambdaCredentials) */
  readonly credentials?: CredentialsProvider;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
}

/** calls one operation: its JSON input in, its JSON output back (`{}` for an empty answer) */
export type AwsJsonCall = <Output>(operation: string, input: object) => Promise<Output>;

/**
 * An error answer of an AWS JSON service. `code` is the exception's short name
 * (`NotFoundException`), the name the SDK gives its exception classes.
 */
export class AwsServiceError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string,
    readonly serviceMessage: string | undefined,
  ) {
    super(`${operation} failed with ${status} ${code}${serviceMessage ? `: ${serviceMessage}` : ''}`);
    this.name = 'AwsServiceError';
  }
}

/** attempts per call, as the SDK's standard retry mode makes */
const MAX_ATTEMPTS = 3;
const BASE_RETRY_DELAY_MS = 100;
/** the codes the services answer when a caller goes over its request rate */
const THROTTLING_CODES = new Set(['ThrottlingException', 'Throttling', 'RequestThrottled', 'TooManyRequestsException']);

/**
 * A client of one AWS JSON-protocol service in one region. Each call:
 * 1. signs and POSTs the input to https://<service>.<region>.amazonaws.com[.cn]/ with
 *    X-Amz-Target `<targetPrefix>.<operation>` and Content-Type application/x-amz-json-<version>;
 * 2. answers the parsed JSON of a 200;
 * 3. retries, up to 3 attempts with jittered exponential backoff as the SDK did, what may pass
 *    on its own: network failures, throttling and 5xx answers;
 * 4. throws any other answer as AwsServiceError, with the exception's short name as `code`.
 */
export function awsJsonService(options: AwsJsonServiceOptions): AwsJsonCall {
  const { service, region } = options;
  const send = signedFetch({
    service,
    region,
    credentials: options.credentials ?? lambdaCredentials(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const url = `https://${service}.${region}.${awsDomain(region)}/`;
  const contentType = `application/x-amz-json-${options.jsonVersion}`;

  return async <Output>(operation: string, input: object): Promise<Output> => {
    const request = {
      method: 'POST',
      url,
      headers: { 'content-type': contentType, 'x-amz-target': `${options.targetPrefix}.${operation}` },
      body: JSON.stringify(input),
    };
    for (let attempt = 1; ; attempt += 1) {
      const lastAttempt = attempt === MAX_ATTEMPTS;
      let response: SignedResponse;
      try {
        response = await send(request);
      } catch (error) {
        // fetch rejects with a TypeError when no answer came (connection reset, DNS)
        if (lastAttempt || !(error instanceof TypeError)) throw error;
        await backoff(attempt);
        continue;
      }
      if (response.status === 200) return parseJson(response.body) as Output;
      const failure = serviceError(operation, response);
      if (lastAttempt || !isTransient(failure)) throw failure;
      await backoff(attempt);
    }
  };
}

function serviceError(operation: string, response: SignedResponse): AwsServiceError {
  const body = parseJson(response.body) as { __type?: unknown; code?: unknown; message?: unknown; Message?: unknown };
  const raw = response.headers.get('x-amzn-errortype') ?? stringOrUndefined(body.code) ?? stringOrUndefined(body.__type);
  // '<namespace>#<Name>:<documentation URL>' comes down to '<Name>'
  const code = raw?.split(':')[0]?.split('#').pop() || `Http${response.status}`;
  return new AwsServiceError(operation, response.status, code, stringOrUndefined(body.message) ?? stringOrUndefined(body.Message));
}

function isTransient(error: AwsServiceError): boolean {
  return error.status >= 500 || error.status === 429 || THROTTLING_CODES.has(error.code);
}

/** full jitter: a random wait up to 100 ms, then 200 ms, so callers that failed together spread out */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_RETRY_DELAY_MS * 2 ** (attempt - 1)));
}

/** a body that is empty or no JSON (a proxy's error page) reads as an empty object */
function parseJson(bytes: Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
