import { describe, expect, it } from '@jest/globals';
import { discoveryFunction, manifest, notifierFunction, type FunctionSpec } from '../../infra/manifest.js';
import { awsSessionStatus } from '../../shared/adapters/aws/aws-session-status.js';
import { awsDependencies } from '../../shared/adapters/aws/aws-dependencies.js';
import { awsTables } from '../../shared/adapters/aws/dynamo-tables.js';

const env = { ISSUER: 'https://gov.example', AWS_REGION: 'cn-north-1', KEY_ID_TOKEN_SIGNING: 'key-1' };

describe('revoked sessions are refused by every function that serves routes', () => {
  it('every manifest function with routes may read the identity table', () => {
    const functions: readonly FunctionSpec[] = manifest.functions;
    const withoutIdentity = functions.filter((fn) => fn.routes?.some((route) => route.auth.require !== 'anonymous') && !fn.grants.tables?.identity);
    expect(withoutIdentity.map((fn) => fn.name)).toEqual([]);
  });

  it('a Lambda with routes but no identity table fails its cold start instead of accepting revoked tokens', () => {
    expect(() => awsDependencies(discoveryFunction, { tables: awsTables }, env)).toThrow('discovery serves signed-in routes, so it needs the tables and sessions adapters');
    expect(() => awsDependencies(discoveryFunction, { tables: awsTables, sessions: awsSessionStatus }, env)).toThrow('TABLE_IDENTITY is not set');
    expect(() => awsDependencies(discoveryFunction, { tables: awsTables, sessions: awsSessionStatus }, { ...env, TABLE_IDENTITY: 'identity' })).not.toThrow();
    expect(() => awsDependencies(notifierFunction, {}, env)).not.toThrow();
  });
});

describe('access events in Lambda', () => {
  it('every function that serves routes records access events, granted to send them', () => {
    const functions: readonly FunctionSpec[] = manifest.functions;
    expect(functions.filter((fn) => fn.routes?.length && !fn.grants.sendTo?.includes('access-events')).map((fn) => fn.name)).toEqual([]);
    const withRoutes = awsDependencies(discoveryFunction, { tables: awsTables, sessions: awsSessionStatus }, { ...env, TABLE_IDENTITY: 'identity' });
    expect((withRoutes as { accessEvents?: unknown }).accessEvents).toBeDefined();
    expect((awsDependencies(notifierFunction, {}, env) as { accessEvents?: unknown }).accessEvents).toBeUndefined();
    expect(() => awsDependencies(discoveryFunction, { tables: awsTables, sessions: awsSessionStatus }, { ...env, TABLE_IDENTITY: 'identity', ACCESS_EVENTS_SAMPLE_RATE: '2' })).toThrow('ACCESS_EVENTS_SAMPLE_RATE');
  });
});
