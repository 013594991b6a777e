import { NestedStack } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey, PayloadFormatVersion, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { routeKey, type Manifest } from '../manifest.js';
import { acknowledge } from './nag-acknowledgements.js';

export interface ApiRoutesProps {
  /** the HTTP API of the parent stack; its id reaches this stack as a parameter */
  readonly api: IHttpApi;
  readonly manifest: Manifest;
  /** the Lambda function of every manifest function, by manifest name */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** the function that answers `$default`, so unknown paths get the platform's JSON 404 */
  readonly fallbackFunction: string;
}

/** why no route has an API Gateway authorizer (see PlatformStack) */
const NO_AUTHORIZER_REASON =
  'Authorization is done in the function middleware from the manifest route auth (JWT verified with aws-jwt-verify, real-name level, staff agency); anonymous routes exist by design (health, OIDC discovery, JWKS, login).';

/**
 * The routes of the HTTP API, in a nested stack of their own: a route, an integration per
 * function and an invoke permission per function are ~1.4 resources per route, and in the
 * parent stack they would run it into CloudFormation's 500-resource limit. The API and its
 * auto-deploying `$default` stage stay in the parent, so route changes deploy by themselves.
 * Steps:
 * 1. one payload v2 Lambda proxy integration per function, created with its first route, and
 *    one invoke permission per function for the whole API (not one per route);
 * 2. a route per manifest route key, refusing a key declared twice;
 * 3. `$default` to the fallback function.
 */
export class ApiRoutes extends NestedStack {
  readonly routes: HttpRoute[] = [];

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id, { description: 'routes, Lambda integrations and invoke permissions of the platform HTTP API' });
    const { api, manifest, functions } = props;
    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (name: string): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = functions.get(name);
        if (!fn) throw new Error(`unknown function: ${name}`);
        integration = new HttpLambdaIntegration(`Integration-${name}`, fn, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
          // one invoke permission per function instead of one per route keeps the function policy small
          scopePermissionToRoute: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };
    const seen = new Set<string>();
    for (const fn of manifest.functions) {
      for (const route of fn.routes ?? []) {
        const key = routeKey(route);
        if (seen.has(key)) throw new Error(`route ${key} is declared twice in the manifest`);
        seen.add(key);
        this.routes.push(
          new HttpRoute(this, `Route-${route.operationId}`, {
            httpApi: api,
            routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
            integration: integrationOf(fn.name),
          }),
        );
      }
    }
    this.routes.push(new HttpRoute(this, 'Route-default', { httpApi: api, routeKey: HttpRouteKey.DEFAULT, integration: integrationOf(props.fallbackFunction) }));
    acknowledge(this, 'AwsSolutions-APIG4', NO_AUTHORIZER_REASON);
  }
}
