import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  EbsDeviceVolumeType,
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { ArnPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, ResourcePolicy, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnDomain, Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import type { Grants } from '../manifest.js';
import { searchActions, type BindableSearch, type DataAccess, type FunctionNetwork } from './app-function.js';
import { acknowledge } from './nag-acknowledgements.js';

export interface SearchDomainProps {
  readonly stage: string;
  /** data node type; one node in each of two availability zones */
  readonly instanceType: string;
  readonly logRetention: RetentionDays;
  /** grants of the functions that will run in the VPC: they decide which VPC endpoints exist */
  readonly clientGrants: readonly Grants[];
}

/**
 * The search engine in AWS: a managed OpenSearch domain in a private VPC, and the network the
 * functions with a `search` grant run in.
 *
 * Why a managed domain and not OpenSearch Serverless: Chinese analysis is the heart of search
 * here, and managed domains offer IK (bundled) plus the pinyin and STConvert analysis plugins
 * (optional packages, associated with the domain once per engine version), which Serverless
 * collections cannot load. A domain also has a known cost floor (two small data nodes) where
 * Serverless bills a minimum of OCUs around the clock.
 *
 * The network: two isolated subnets in two availability zones, no NAT and no internet gateway.
 * Functions in it reach AWS through VPC endpoints only, created for what their grants use
 * (DynamoDB and S3 gateways; KMS, SQS and X-Ray interfaces). The domain admits HTTPS from the
 * function security group only, and its resource policy names the roles of those functions.
 * Fine-grained access control stays off: IAM roles are the only callers.
 *
 * Operators: the account needs the OpenSearch service-linked role once
 * (`aws iam create-service-linked-role --aws-service-name opensearchservice.amazonaws.com`);
 * slow logs are written only after the index settings set slow-log thresholds.
 */
export class SearchDomain extends Construct implements BindableSearch {
  readonly vpc: Vpc;
  readonly domain: Domain;
  readonly domainArn: string;
  readonly endpointUrl: string;
  /** where functions with a search grant run */
  readonly network: FunctionNetwork;
  private readonly accessStatements: PolicyStatement[] = [];
  /** the domain and its paths, as named in the domain's resource policy */
  private readonly resourceArns: string[];

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'search', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // nothing is placed in the default group; restricting it would need a custom-resource Lambda
      restrictDefaultSecurityGroup: false,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(this, 'FlowLogs', { retention: props.logRetention })),
      trafficType: FlowLogTrafficType.ALL,
    });

    const clientSecurityGroup = new SecurityGroup(this, 'ClientSecurityGroup', {
      vpc: this.vpc,
      description: 'Lambda functions with a search grant: HTTPS out to the domain and the VPC endpoints only',
      allowAllOutbound: false,
    });
    // the isolated subnets route nowhere but to the endpoints and the domain, all on 443
    clientSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to VPC endpoints and the search domain');
    this.network = { vpc: this.vpc, securityGroup: clientSecurityGroup };
    this.addEndpoints(props.clientGrants, clientSecurityGroup);

    const domainSecurityGroup = new SecurityGroup(this, 'DomainSecurityGroup', {
      vpc: this.vpc,
      description: 'OpenSearch domain: HTTPS from the search clients only',
      allowAllOutbound: false,
    });
    domainSecurityGroup.addIngressRule(clientSecurityGroup, Port.tcp(443), 'HTTPS from functions with a search grant');

    const logGroups = {
      slowSearch: new LogGroup(this, 'SlowSearchLogs', { retention: props.logRetention }),
      slowIndex: new LogGroup(this, 'SlowIndexLogs', { retention: props.logRetention }),
      app: new LogGroup(this, 'ErrorLogs', { retention: props.logRetention }),
    };
    // a native resource policy instead of the custom-resource Lambda the Domain construct would add
    const logsPolicy = new ResourcePolicy(this, 'LogsResourcePolicy', {
      policyStatements: [
        new PolicyStatement({
          principals: [new ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: Object.values(logGroups).map((group) => group.logGroupArn),
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      ],
    });

    const domainName = `gov-${props.stage}-search`;
    this.domain = new Domain(this, 'Domain', {
      domainName,
      version: EngineVersion.OPENSEARCH_2_19,
      vpc: this.vpc,
      vpcSubnets: [{ subnetType: SubnetType.PRIVATE_ISOLATED }],
      securityGroups: [domainSecurityGroup],
      capacity: { dataNodes: 2, dataNodeInstanceType: props.instanceType, multiAzWithStandbyEnabled: false },
      zoneAwareness: { enabled: true, availabilityZoneCount: 2 },
      ebs: { volumeSize: 20, volumeType: EbsDeviceVolumeType.GP3 },
      nodeToNodeEncryption: true,
      encryptionAtRest: { enabled: true },
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2_PFS,
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: logGroups.slowSearch,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: logGroups.slowIndex,
        appLogEnabled: true,
        appLogGroup: logGroups.app,
      },
      suppressLogsResourcePolicy: true,
      // a projection of the tables, rebuilt by re-indexing; nothing is lost with it
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.domain.node.addDependency(logsPolicy);

    // The policy names the domain by its ARN built from the name: the domain's own Arn attribute
    // would make the domain depend on itself.
    const domainArnFromName = stack.formatArn({ service: 'es', resource: 'domain', resourceName: domainName });
    (this.domain.node.defaultChild as CfnDomain).accessPolicies = Lazy.any({
      produce: () =>
        this.accessStatements.length === 0
          ? undefined
          : new PolicyDocument({ statements: this.accessStatements }).toJSON(),
    });
    this.domainArn = this.domain.domainArn;
    this.endpointUrl = `https://${this.domain.domainEndpoint}`;
    this.resourceArns = [domainArnFromName, `${domainArnFromName}/*`];

    acknowledge(
      this.domain,
      'AwsSolutions-OS3',
      'A VPC domain cannot use IP-based access policies; access is limited by the security group (the search clients only) and by a resource policy naming their roles.',
    );
    acknowledge(
      this.domain,
      'AwsSolutions-OS4',
      'Two data nodes hold a small catalog index that can be rebuilt from the tables at any time; dedicated master nodes would triple the cost floor for no data at risk. Add them when the domain grows past a few nodes.',
    );
  }

  /** Names a function role in the domain's resource policy, with the HTTP verbs of its access. */
  allow(role: IRole, access: DataAccess): void {
    this.accessStatements.push(
      new PolicyStatement({
        principals: [new ArnPrincipal(role.roleArn)],
        actions: searchActions(access),
        resources: this.resourceArns,
      }),
    );
  }

  private addEndpoints(grants: readonly Grants[], clients: SecurityGroup): void {
    const isolated = [{ subnetType: SubnetType.PRIVATE_ISOLATED }];
    if (grants.some((g) => g.tables && Object.keys(g.tables).length > 0)) {
      this.vpc.addGatewayEndpoint('DynamoDbEndpoint', { service: GatewayVpcEndpointAwsService.DYNAMODB, subnets: isolated });
    }
    if (grants.some((g) => g.blobs)) {
      this.vpc.addGatewayEndpoint('S3Endpoint', { service: GatewayVpcEndpointAwsService.S3, subnets: isolated });
    }
    const interfaces: [string, InterfaceVpcEndpointAwsService][] = [
      // every function traces to X-Ray
      ['XRayEndpoint', InterfaceVpcEndpointAwsService.XRAY],
    ];
    // a verify use needs no KMS: tokens are verified from the public keys in the environment
    const callsKms = (g: Grants) => Object.values(g.keys ?? {}).some((uses) => (uses ?? []).some((use) => use !== 'verify'));
    if (grants.some(callsKms)) interfaces.push(['KmsEndpoint', InterfaceVpcEndpointAwsService.KMS]);
    if (grants.some((g) => (g.sendTo ?? []).length > 0)) interfaces.push(['SqsEndpoint', InterfaceVpcEndpointAwsService.SQS]);
    for (const [id, service] of interfaces) {
      const endpoint = this.vpc.addInterfaceEndpoint(id, { service, subnets: { subnetType: SubnetType.PRIVATE_ISOLATED }, open: false });
      endpoint.connections.allowDefaultPortFrom(clients, 'HTTPS from functions in the VPC');
    }
  }
}
