import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Tables } from '../ports/tables.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import type { AlertKind } from './supervision-rules.js';
import { writtenIfCondition } from '../tables/conditional-write.js';

/** An e-supervision alert (电子监察, GB/T 39047 6.2.5): one per case (or implementation) and kind. */
export interface SupervisionAlert {
  /** `<subject>#<kind>`, with the state for per-state alerts: the same finding is raised once */
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly agency: string;
  readonly caseNo?: string;
  readonly itemCode: string;
  readonly region: string;
  readonly detail: string;
  readonly raisedAt: string;
}

export interface AlertPage {
  readonly alerts: SupervisionAlert[];
  readonly nextCursor?: string;
}

const alertKey = (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });

/** Alerts in the cases table, listed newest first per kind (gsi1) and per agency (gsi2). */
export function alertRepository(tables: Tables) {
  const TableName = tables.name('cases');
  return {
    /** stores an alert unless the same one was raised before; true when it is new */
    async raise(alert: SupervisionAlert): Promise<boolean> {
      return writtenIfCondition(
        tables.client.send(
          new PutCommand({
            TableName,
            Item: {
              ...alertKey(alert.alertId),
              type: 'alert',
              ...alert,
              gsi1pk: `ALERTS#KIND#${alert.kind}`,
              gsi1sk: `${alert.raisedAt}#${alert.alertId}`,
              gsi2pk: `ALERTS#AGENCY#${alert.agency}`,
              gsi2sk: `${alert.raisedAt}#${alert.alertId}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    /** alerts of an agency (optionally of one kind), or of one kind across agencies, newest first */
    async list(filter: { agency?: string; kind?: AlertKind; limit: number; cursor?: string }): Promise<AlertPage> {
      const byAgency = filter.agency !== undefined;
      const [index, partition] = byAgency ? ['gsi2', `ALERTS#AGENCY#${filter.agency}`] : ['gsi1', `ALERTS#KIND#${filter.kind}`];
      const alerts: SupervisionAlert[] = [];
      let start: Record<string, unknown> | undefined = filter.cursor === undefined ? undefined : decodePageCursor(filter.cursor, `${index}pk`, partition);
      do {
        const answer = await tables.client.send(
          new QueryCommand({
            TableName,
            IndexName: index,
            KeyConditionExpression: `${index}pk = :pk`,
            ExpressionAttributeValues: { ':pk': partition, ...(byAgency && filter.kind ? { ':kind': filter.kind } : {}) },
            ...(byAgency && filter.kind ? { FilterExpression: 'kind = :kind' } : {}),
            ScanIndexForward: false,
            Limit: filter.limit - alerts.length,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        alerts.push(...(answer.Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...alert }) => alert as unknown as SupervisionAlert));
        start = answer.LastEvaluatedKey;
      } while (start && alerts.length < filter.limit);
      return { alerts, ...(start ? { nextCursor: encodePageCursor(start) } : {}) };
    },
  };
}

export type AlertRepository = ReturnType<typeof alertRepository>;
