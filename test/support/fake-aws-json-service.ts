/** One request an AWS JSON-protocol service received, decoded for assertions. */
export interface AwsJsonRequest {
  readonly url: string;
  /** the X-Amz-Target header, e.g. TrentService.Sign */
  readonly target: string;
  /** the operation part of the target, e.g. Sign */
  readonly operation: string;
  readonly contentType: string;
  /** the SigV4 credential scope: <access key>/<date>/<region>/<service>/aws4_request */
  readonly credentialScope: string;
  readonly input: Record<string, unknown>;
}

/** An error answer, as AWS JSON services send them: `__type` with the exception name, and a message. */
export class AwsErrorAnswer {
  constructor(
    readonly code: string,
    readonly status = 400,
    readonly message = 'refused',
  ) {}
}

/** Signing keys and a fixed signing time for adapters under test. */
export const testCredentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' });
export const testClock = { now: () => new Date('2025-03-01T08:00:00Z') };

/**
 * A fetch that plays an AWS JSON-protocol service: `answer` gets each decoded request and returns
 * the operation's output (sent as a 200) or an AwsErrorAnswer. Every request is recorded.
 */
export function fakeAwsJsonService(answer: (request: AwsJsonRequest) => unknown) {
  const requests: AwsJsonRequest[] = [];
  const fake = async (url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const target = headers.get('x-amz-target') ?? '';
    const request: AwsJsonRequest = {
      url: String(url),
      target,
      operation: target.slice(target.indexOf('.') + 1),
      contentType: headers.get('content-type') ?? '',
      credentialScope: /Credential=([^,]+)/.exec(headers.get('authorization') ?? '')?.[1] ?? '',
      input: JSON.parse(String(init?.body)) as Record<string, unknown>,
    };
    requests.push(request);
    const output = answer(request);
    if (output instanceof AwsErrorAnswer) {
      return Response.json({ __type: `com.amazonaws.service#${output.code}`, message: output.message }, { status: output.status });
    }
    return Response.json(output ?? {});
  };
  return {
    fetch: fake as typeof fetch,
    requests,
    /** the inputs of one operation's requests, in order */
    inputsOf: (operation: string) => requests.filter((request) => request.operation === operation).map((request) => request.input),
  };
}

/** base64, the JSON form of binary fields */
export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
