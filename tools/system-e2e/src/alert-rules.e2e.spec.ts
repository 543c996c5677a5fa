import { APPS } from '@orders/local-stack';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { orderOf, platformForSuite } from './support/platform';

interface PrometheusRule {
  apiVersion: string;
  kind: string;
  spec: { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; annotations: Record<string, string> }> }> };
}

const RULES_FILE = join(__dirname, '../../../k8s/base/monitoring/alert-rules.yaml');
const RUNBOOK_FILE = join(__dirname, '../../../docs/operations.md');
/** Every metric of ours is prefixed, so what an expression reads can be told from PromQL functions and labels. */
const METRIC_NAME = /\borders_[a-z0-9_]+/g;
const SCRAPES = 5;

describe('the alert rules in k8s/base/monitoring', () => {
  const platform = platformForSuite();
  const rules = parse(readFileSync(RULES_FILE, 'utf8')) as PrometheusRule;
  const alerts = rules.spec.groups.flatMap((group) => group.rules);

  it('are a PrometheusRule whose alerts each have a summary, a description and a runbook section that exists', () => {
    expect(rules).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    const runbook = readFileSync(RUNBOOK_FILE, 'utf8');
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert, annotations } of alerts) {
      expect({ alert, summary: typeof annotations.summary, description: typeof annotations.description }).toEqual({ alert, summary: 'string', description: 'string' });
      expect(annotations.runbook).toBe(`docs/operations.md#${alert.toLowerCase()}`);
      expect(runbook).toContain(`### ${alert}\n`);
    }
  });

  it('only read metrics that the apps serve, once an order went through', async () => {
    const token = await platform.login('metrics-watcher');
    const orderId = await platform.place(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
    await platform.orderWhere(token, orderId, (order) => order.status !== 'PENDING', 'the saga to end');

    const referenced = alerts.flatMap(({ expr }) => expr.match(METRIC_NAME) ?? []);
    const served = new Set<string>();
    // A gauge read from JetStream or the database at scrape time is left out of a scrape in which
    // that read timed out, so a busy machine may need a few scrapes to see every metric once.
    for (let scrape = 1; scrape <= SCRAPES && !referenced.every((name) => served.has(name)); scrape++) {
      if (scrape > 1) await sleep(1_000);
      for (const app of APPS) {
        const response = await fetch(`${platform.stack.urls[app]}/metrics`);
        expect({ app, status: response.status }).toEqual({ app, status: 200 });
        for (const line of (await response.text()).split('\n')) if (!line.startsWith('#')) served.add(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '');
      }
    }

    for (const { alert, expr } of alerts) {
      const read = expr.match(METRIC_NAME) ?? [];
      expect({ alert, reads: read.length > 0 }).toEqual({ alert, reads: true });
      expect({ alert, missing: read.filter((name) => !served.has(name)) }).toEqual({ alert, missing: [] });
    }
  });
});
