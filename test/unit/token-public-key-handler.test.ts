import { beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { tokenPublicKeyHandler, type TokenPublicKeyProperties } from '../../infra/custom-resources/token-public-key-handler.js';

const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'cn-north-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const handle = tokenPublicKeyHandler(client);
const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
const properties: TokenPublicKeyProperties = { ServiceToken: 'arn:aws-cn:lambda:cn-north-1:111122223333:function:provider', KeyId: 'key-1' };
const common = {
  ServiceToken: properties.ServiceToken,
  ResponseURL: 'https://example.invalid/response',
  StackId: 'stack',
  RequestId: 'request',
  LogicalResourceId: 'TokenPublicKey',
  ResourceType: 'Custom::TokenPublicKey',
  ResourceProperties: properties,
};

describe('token public key custom resource handler', () => {
  beforeEach(() => {
    kms.reset();
  });

  it('answers Create and Update with the DER SubjectPublicKeyInfo as base64, the key id as physical id', async () => {
    // a view into a larger buffer, as SDK responses often are: only the view's bytes count
    const backing = Buffer.concat([Buffer.from('prefix'), spki, Buffer.from('suffix')]);
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: new Uint8Array(backing.buffer, backing.byteOffset + 6, spki.length) });
    const created = await handle({ ...common, RequestType: 'Create' } as CdkCustomResourceEvent<TokenPublicKeyProperties>);
    const updated = await handle({ ...common, RequestType: 'Update', PhysicalResourceId: 'key-0', OldResourceProperties: { ...properties, KeyId: 'key-0' } } as CdkCustomResourceEvent<TokenPublicKeyProperties>);

    for (const response of [created, updated]) {
      expect(response).toEqual({ PhysicalResourceId: 'key-1', Data: { PublicKey: spki.toString('base64') } });
    }
    expect(Buffer.from(created.Data!.PublicKey, 'base64').equals(spki)).toBe(true);
    expect(kms.commandCalls(GetPublicKeyCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: 'key-1' }, { KeyId: 'key-1' }]);
  });

  it('refuses a key that cannot sign ES256 tokens', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'SM2', PublicKey: new Uint8Array(spki) });
    await expect(handle({ ...common, RequestType: 'Create' } as CdkCustomResourceEvent<TokenPublicKeyProperties>)).rejects.toThrow(/ES256/);
  });

  it('leaves the key alone on Delete', async () => {
    const response = await handle({ ...common, RequestType: 'Delete', PhysicalResourceId: 'key-1' } as CdkCustomResourceEvent<TokenPublicKeyProperties>);
    expect(response).toEqual({ PhysicalResourceId: 'key-1' });
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(0);
  });
});
