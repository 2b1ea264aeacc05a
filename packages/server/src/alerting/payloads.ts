// The bodies receivers expect: Alertmanager's webhook (version 4), a Discord webhook message with an embed, a Slack
// incoming-webhook message with an attachment, and Alertmanager API v2's postable alerts.

/** An alert as the dispatcher holds it (times in ms). */
export interface Alert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  generatorURL: string;
}

/** One notification of an alert group, before it is shaped for a receiver. */
export interface GroupNotification {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  externalURL: string;
  alerts: Alert[];
  now: number;
  /** Alerts left out by max_alerts. */
  truncatedAlerts?: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

const isResolved = (a: Alert, now: number) => a.endsAt <= now;

/** Alertmanager's webhook payload, version 4. */
export function webhookPayload(n: GroupNotification) {
  const firing = n.alerts.some((a) => !isResolved(a, n.now));
  return {
    receiver: n.receiver,
    status: firing ? 'firing' : 'resolved',
    alerts: n.alerts.map((a) => ({
      status: isResolved(a, n.now) ? 'resolved' : 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt).toISOString(),
      endsAt: isResolved(a, n.now) ? new Date(a.endsAt).toISOString() : ZERO_TIME,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: n.externalURL,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: n.truncatedAlerts ?? 0,
  };
}

/** `[FIRING:2] HighErrorRate api` as Alertmanager's default title. */
export function notificationTitle(n: GroupNotification): string {
  const firing = n.alerts.filter((a) => !isResolved(a, n.now)).length;
  const status = firing > 0 ? `FIRING:${firing}` : 'RESOLVED';
  const labels = Object.keys(n.groupLabels)
    .sort()
    .map((k) => n.groupLabels[k]);
  const name = labels.length > 0 ? labels.join(' ') : (common(n.alerts.map((a) => a.labels)).alertname ?? 'alerts');
  return `[${status}] ${name}`;
}

/** One line per alert: its summary (or description, or labels), resolved ones marked. */
export function notificationLines(n: GroupNotification): string[] {
  return n.alerts.map((a) => {
    const text = a.annotations.summary ?? a.annotations.description ?? formatLabels(a.labels);
    return `${isResolved(a, n.now) ? '[resolved] ' : ''}${text}`;
  });
}

/** A Discord webhook message: one embed, red while firing, green once resolved (limits: title 256, text 4096). */
export function discordPayload(n: GroupNotification) {
  const firing = n.alerts.some((a) => !isResolved(a, n.now));
  return {
    embeds: [
      {
        title: truncate(notificationTitle(n), 256),
        description: truncate(notificationLines(n).join('\n'), 4096),
        color: firing ? 0x992d22 : 0x2ecc71,
        ...(n.externalURL ? { url: n.externalURL } : {}),
      },
    ],
  };
}

/** A Slack incoming-webhook message: one attachment, `danger` while firing, `good` once resolved. */
export function slackPayload(n: GroupNotification, options: { channel?: string; username?: string }) {
  const firing = n.alerts.some((a) => !isResolved(a, n.now));
  const title = notificationTitle(n);
  return {
    ...(options.channel ? { channel: options.channel } : {}),
    username: options.username ?? 'Vigil',
    attachments: [
      {
        color: firing ? 'danger' : 'good',
        title,
        ...(n.externalURL ? { title_link: n.externalURL } : {}),
        text: truncate(notificationLines(n).join('\n'), 8000),
        fallback: title,
      },
    ],
  };
}

/** Alertmanager API v2 postable alerts (`POST /api/v2/alerts`). */
export function alertmanagerPayload(alerts: readonly Alert[]) {
  return alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: new Date(a.endsAt).toISOString(),
    generatorURL: a.generatorURL,
  }));
}

function common(sets: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((s) => s[k] === v)) out[k] = v;
  return out;
}

function formatLabels(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(' ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
