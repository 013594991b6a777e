import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformStack } from '../../infra/stacks/platform-stack.js';
import { settingsFromContext } from '../../infra/stacks/platform-settings.js';

// the CDK's built-in CloudFormation validation: slow, and not what this test asserts
process.env.CDK_VALIDATION = 'false';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cdkJsonContext = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/**
 * CloudFormation refuses a stack with more than 500 resources or 200 parameters or outputs, and
 * only at deploy time. Each stack must stay this far below, so that the next routes or functions
 * fail this test, with room left to split: routes go to the ApiRoutes nested stack (about 1.3
 * resources a route); when it nears its budget, split it (e.g. one nested stack per group of
 * functions); when the parent nears its budget, move a self-contained part (alarms, the portal,
 * the analytics lake) into a nested stack of its own.
 */
const BUDGET = { resources: 400, parameters: 150, outputs: 150 } as const;

interface StackSize {
  readonly path: string;
  readonly resources: number;
  readonly parameters: number;
  readonly outputs: number;
}

describe('the size of every synthesized stack', () => {
  let sizes: StackSize[];

  beforeAll(() => {
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    const platform = new PlatformStack(app, 'GovPlatform-size-test', { settings: settingsFromContext(app.node), projectRoot });
    const stacks = [platform, ...platform.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
    sizes = stacks.map((stack: Stack) => {
      const template = Template.fromStack(stack).toJSON() as Record<string, Record<string, unknown> | undefined>;
      const count = (section: string) => Object.keys(template[section] ?? {}).length;
      return { path: stack.node.path, resources: count('Resources'), parameters: count('Parameters'), outputs: count('Outputs') };
    });
  });

  it('keeps the API routes in a nested stack of their own', () => {
    expect(sizes.map((s) => s.path)).toContain('GovPlatform-size-test/ApiRoutes');
  });

  it(`keeps the parent and each nested stack within ${BUDGET.resources} resources, ${BUDGET.parameters} parameters and ${BUDGET.outputs} outputs`, () => {
    const overBudget = sizes.filter((s) => s.resources > BUDGET.resources || s.parameters > BUDGET.parameters || s.outputs > BUDGET.outputs);
    expect(overBudget).toEqual([]);
  });
});
