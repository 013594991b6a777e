import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from './nag-acknowledgements.js';

/**
 * A bucket that receives access logs, kept a year: private, TLS only, with S3-managed
 * encryption (the only kind S3 server access logs are delivered to). CloudFront standard
 * logging writes through the bucket ACL, so its target keeps ACLs (`objectWriter`).
 */
export function accessLogBucket(scope: Construct, id: string, options: { loggedResources: string; objectWriter?: boolean }): Bucket {
  const bucket = new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: options.objectWriter ? ObjectOwnership.OBJECT_WRITER : ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(bucket, 'AwsSolutions-S1', `This bucket is the access-log target of ${options.loggedResources}; logging it into another bucket would only move the question.`);
  return bucket;
}
