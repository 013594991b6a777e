import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';

export interface TokenPublicKeyProperties {
  readonly ServiceToken: string;
  /** id or ARN of the token signing key */
  readonly KeyId: string;
}

export interface TokenPublicKeyData {
  /** base64 DER SubjectPublicKeyInfo, the form TOKEN_PUBLIC_KEYS holds */
  readonly PublicKey: string;
}

/**
 * The onEvent handler of the TokenPublicKey custom resource: reads the public half of the token
 * signing key at deploy time so functions verify tokens without calling KMS. Steps:
 * 1. Delete: nothing to undo, the key is not owned by this resource;
 * 2. Create and Update: GetPublicKey on the key, refusing a key that cannot sign ES256 tokens;
 * 3. answer the DER SubjectPublicKeyInfo as base64, with the key id as physical id, so a new key
 *    replaces the resource and an unchanged one keeps it.
 *
 * The base64 encoding happens here because CDK's AwsCustomResource hands binary response fields
 * back as UTF-8 text, which mangles DER bytes (aws/aws-cdk#19065).
 */
export function tokenPublicKeyHandler(client: KMSClient) {
  return async (event: CdkCustomResourceEvent<TokenPublicKeyProperties>): Promise<CdkCustomResourceResponse<TokenPublicKeyData>> => {
    if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
    const keyId = event.ResourceProperties.KeyId;
    const { KeySpec, PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (KeySpec !== 'ECC_NIST_P256') throw new Error(`the token signing key ${keyId} is ${KeySpec}; access tokens are ES256 (ECC_NIST_P256)`);
    if (!PublicKey) throw new Error(`GetPublicKey returned no public key for ${keyId}`);
    return { PhysicalResourceId: keyId, Data: { PublicKey: Buffer.from(PublicKey).toString('base64') } };
  };
}

export const handler = tokenPublicKeyHandler(new KMSClient({}));
