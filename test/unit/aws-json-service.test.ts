import { describe, it, expect } from '@jest/globals';
import { awsJsonService, AwsServiceError } from '../../shared/adapters/aws/aws-json-service.js';
import { testClock, testCredentials } from '../support/fake-aws-json-service.js';

/** a fetch that gives the answers in turn (a function answer may throw, as fetch does without a connection) and counts requests */
function scriptedFetch(answers: (Response | (() => Response))[]) {
  let requests = 0;
  const fake = async () => {
    const answer = answers[requests++];
    if (!answer) throw new Error('no more answers');
    return typeof answer === 'function' ? answer() : answer;
  };
  return { fetch: fake as unknown as typeof fetch, requests: () => requests };
}

function serviceWith(answers: (Response | (() => Response))[]) {
  const scripted = scriptedFetch(answers);
  const call = awsJsonService({ service: 'kms', targetPrefix: 'TrentService', jsonVersion: '1.1', region: 'cn-north-1', credentials: testCredentials, clock: testClock, fetch: scripted.fetch });
  return { call, requests: scripted.requests };
}

const failure = (call: Promise<unknown>) => call.then(() => undefined, (error: unknown) => error as AwsServiceError);

describe('awsJsonService', () => {
  it('answers the JSON of a 200, and an empty object for an empty body', async () => {
    const { call } = serviceWith([Response.json({ KeyId: 'key-1' }), new Response(null, { status: 200 })]);
    expect(await call('DescribeKey', { KeyId: 'key-1' })).toEqual({ KeyId: 'key-1' });
    expect(await call('DisableKey', { KeyId: 'key-1' })).toEqual({});
  });

  it('reads the exception name from x-amzn-ErrorType, or from __type without namespace and documentation link', async () => {
    const { call } = serviceWith([
      new Response('{}', { status: 400, headers: { 'x-amzn-ErrorType': 'NotFoundException:http://internal.amazon.com/coral/com.amazonaws.kms/' } }),
      Response.json({ __type: 'com.amazonaws.kms#DisabledException', message: 'key-1 is disabled.' }, { status: 400 }),
      new Response('<html>Forbidden</html>', { status: 403 }),
    ]);
    expect(await failure(call('Sign', {}))).toMatchObject({ code: 'NotFoundException', status: 400, serviceMessage: undefined });
    const disabled = await failure(call('Sign', {}));
    expect(disabled).toBeInstanceOf(AwsServiceError);
    expect(disabled).toMatchObject({ operation: 'Sign', code: 'DisabledException', serviceMessage: 'key-1 is disabled.' });
    expect(disabled?.message).toBe('Sign failed with 400 DisabledException: key-1 is disabled.');
    expect(await failure(call('Sign', {}))).toMatchObject({ code: 'Http403', status: 403 });
  });

  it('retries throttling, 5xx answers and lost connections, up to three attempts', async () => {
    const throttled = () => Response.json({ __type: 'ThrottlingException', message: 'Rate exceeded' }, { status: 400 });
    const lost = () => {
      throw new TypeError('fetch failed');
    };

    const recovers = serviceWith([throttled(), lost, Response.json({ Mac: 'AQ==' })]);
    expect(await recovers.call('GenerateMac', {})).toEqual({ Mac: 'AQ==' });
    expect(recovers.requests()).toBe(3);

    const unavailable = serviceWith([new Response('', { status: 503 }), new Response('', { status: 500 }), Response.json({ __type: 'KMSInternalException' }, { status: 500 })]);
    expect(await failure(unavailable.call('Sign', {}))).toMatchObject({ code: 'KMSInternalException', status: 500 });
    expect(unavailable.requests()).toBe(3);

    const offline = serviceWith([lost, lost, lost]);
    await expect(offline.call('Sign', {})).rejects.toThrow(TypeError);
    expect(offline.requests()).toBe(3);
  });

  it('does not retry what the caller got wrong', async () => {
    const { call, requests } = serviceWith([Response.json({ __type: 'ValidationException', message: 'bad' }, { status: 400 })]);
    expect(await failure(call('Sign', {}))).toMatchObject({ code: 'ValidationException' });
    expect(requests()).toBe(1);
  });
});
