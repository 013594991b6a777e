import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on a construct and everything under it, with the reason
 * written where the resource is defined. cdk-nag 3 has no bulk form: a rule that reports
 * several findings per resource (AwsSolutions-IAM5) needs one acknowledgement per finding.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding for one wildcard resource of a policy under
 * `scope`. The resource may hold tokens (`bucket.arnForObjects('*')`); it is flattened the way
 * cdk-nag names the finding, e.g. `Resource::<BlobBucket1234.Arn>/*`.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`, reason);
}

/** cdk-nag's flattening of CloudFormation intrinsics into finding ids */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const intrinsic = node as Record<string, unknown>;
    if ('Fn::Join' in intrinsic) {
      const [delimiter, items] = intrinsic['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in intrinsic) return flatten(intrinsic['Fn::Sub']);
    if ('Fn::GetAtt' in intrinsic) {
      const [resource, attribute] = intrinsic['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Ref' in intrinsic) return `<${flatten(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}
