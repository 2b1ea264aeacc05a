// Vigil's own small Alertmanager for direct receivers: alerts are routed, grouped by the route's group_by, and each
// group is flushed after group_wait, then every group_interval; a receiver hears again about an unchanged group
// only after repeat_interval; resolved alerts are sent where send_resolved is on; silenced alerts are left out.

import type { NotificationsConfig, ReceiverConfig } from '../config/types.js';
import type { DeliveryJob } from './delivery.js';
import { type Alert, discordPayload, type GroupNotification, slackPayload, webhookPayload } from './payloads.js';
import { RouteNode } from './route.js';
import type { Silences } from './silences.js';

interface Integration {
  receiver: string;
  /** `receiver/webhook[0]`: how logs name it. */
  name: string;
  sendResolved: boolean;
  maxAlerts: number;
  url: string;
  body: (n: GroupNotification) => unknown;
}

interface NotifyLog {
  firing: Set<string>;
  resolved: Set<string>;
  at: number;
}

interface AggregationGroup {
  key: string;
  route: RouteNode;
  labels: Record<string, string>;
  alerts: Map<string, Alert>;
  nextFlushAt: number;
  /** Per integration: what it was last told. */
  log: Map<string, NotifyLog>;
}

/** Routes alerts into groups and turns group flushes into delivery jobs. */
export class Dispatcher {
  readonly #route: RouteNode;
  readonly #integrations = new Map<string, Integration[]>();
  readonly #groups = new Map<string, AggregationGroup>();
  readonly #silences: Silences;
  readonly #enqueue: (job: DeliveryJob) => void;
  readonly #externalURL: string;

  constructor(
    config: NotificationsConfig & { route: NonNullable<NotificationsConfig['route']> },
    deps: { silences: Silences; enqueue: (job: DeliveryJob) => void; externalURL: string },
  ) {
    this.#route = new RouteNode(config.route);
    for (const receiver of config.receivers) this.#integrations.set(receiver.name, integrationsOf(receiver));
    this.#silences = deps.silences;
    this.#enqueue = deps.enqueue;
    this.#externalURL = deps.externalURL;
  }

  /** Alert groups and their alerts, for inspection. */
  groups(): { key: string; receiver: string; labels: Record<string, string>; alerts: Alert[] }[] {
    return [...this.#groups.values()].map((g) => ({
      key: g.key,
      receiver: g.route.config.receiver,
      labels: g.labels,
      alerts: [...g.alerts.values()],
    }));
  }

  /** Takes alerts in (new, updated or resolved ones), as Alertmanager's POST /api/v2/alerts does. */
  receive(alerts: readonly Alert[], now: number): void {
    for (const alert of alerts) {
      for (const route of this.#route.match(alert.labels)) {
        const labels = route.groupLabels(alert.labels);
        const key = `${route.id}:${JSON.stringify(labels)}`;
        let group = this.#groups.get(key);
        if (!group) {
          // A group is notified group_wait after its first alert, at once if that alert is older than group_wait.
          const wait = alert.startsAt + route.config.groupWaitMs < now ? 0 : route.config.groupWaitMs;
          group = { key, route, labels, alerts: new Map(), nextFlushAt: now + wait, log: new Map() };
          this.#groups.set(key, group);
        }
        group.alerts.set(alert.fingerprint, alert);
      }
    }
  }

  /** Flushes every group that is due at `now`. */
  tick(now: number): void {
    for (const group of [...this.#groups.values()]) if (group.nextFlushAt <= now) this.#flush(group, now);
  }

  #flush(group: AggregationGroup, now: number): void {
    const config = group.route.config;
    group.nextFlushAt = now + config.groupIntervalMs;
    const all = [...group.alerts.values()].filter((a) => this.#silences.silencedBy(a.labels, now).length === 0);
    const firing = all.filter((a) => a.endsAt > now);
    const resolved = all.filter((a) => a.endsAt <= now);
    for (const integration of this.#integrations.get(config.receiver) ?? []) {
      const last = group.log.get(integration.name);
      if (!needsUpdate(last, firing, resolved, integration.sendResolved, config.repeatIntervalMs, now)) continue;
      let alerts = integration.sendResolved ? [...firing, ...resolved] : firing;
      const entry: NotifyLog = {
        firing: new Set(firing.map((a) => a.fingerprint)),
        resolved: new Set(resolved.map((a) => a.fingerprint)),
        at: now,
      };
      if (alerts.length === 0) {
        group.log.set(integration.name, entry);
        continue;
      }
      let truncated = 0;
      if (integration.maxAlerts > 0 && alerts.length > integration.maxAlerts) {
        truncated = alerts.length - integration.maxAlerts;
        alerts = alerts.slice(0, integration.maxAlerts);
      }
      const notification: GroupNotification = {
        receiver: integration.receiver,
        groupKey: `{}${group.route.id === '/' ? '' : group.route.id}:${formatGroupLabels(group.labels)}`,
        groupLabels: group.labels,
        externalURL: this.#externalURL,
        alerts,
        now,
        truncatedAlerts: truncated,
      };
      this.#enqueue({
        receiver: integration.receiver,
        target: integration.name,
        url: integration.url,
        body: JSON.stringify(integration.body(notification)),
        onSuccess: () => group.log.set(integration.name, entry),
      });
    }
    // Resolved alerts have been handed on: the group forgets them (an empty group goes away).
    for (const alert of resolved) group.alerts.delete(alert.fingerprint);
    for (const alert of [...group.alerts.values()]) if (alert.endsAt <= now) group.alerts.delete(alert.fingerprint);
    if (group.alerts.size === 0) this.#groups.delete(group.key);
  }
}

// Alertmanager's DedupStage: notify when firing alerts were added, when all resolved after something fired, when
// resolved ones are new and the receiver wants them, or when repeat_interval passed.
function needsUpdate(
  last: NotifyLog | undefined,
  firing: Alert[],
  resolved: Alert[],
  sendResolved: boolean,
  repeatMs: number,
  now: number,
): boolean {
  if (!last) return firing.length > 0;
  if (!firing.every((a) => last.firing.has(a.fingerprint))) return true;
  if (firing.length === 0) return last.firing.size > 0;
  if (sendResolved && !resolved.every((a) => last.resolved.has(a.fingerprint))) return true;
  return last.at + repeatMs <= now;
}

function integrationsOf(receiver: ReceiverConfig): Integration[] {
  const of = (
    kind: string,
    i: number,
    sendResolved: boolean,
    maxAlerts: number,
    url: string,
    body: Integration['body'],
  ) => ({
    receiver: receiver.name,
    name: `${receiver.name}/${kind}[${i}]`,
    sendResolved,
    maxAlerts,
    url,
    body,
  });
  return [
    ...receiver.webhooks.map((w, i) => of('webhook', i, w.sendResolved, w.maxAlerts, w.url, webhookPayload)),
    ...receiver.discord.map((d, i) => of('discord', i, d.sendResolved, 0, d.webhookUrl, discordPayload)),
    ...receiver.slack.map((s, i) =>
      of('slack', i, s.sendResolved, 0, s.apiUrl, (n) =>
        slackPayload(n, {
          ...(s.channel ? { channel: s.channel } : {}),
          ...(s.username ? { username: s.username } : {}),
        }),
      ),
    ),
  ];
}

function formatGroupLabels(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ')}}`;
}
