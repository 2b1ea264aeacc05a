// Reads `vigil.notifications`: receivers and a route tree written as in Alertmanager's alertmanager.yml, for the
// integrations Vigil sends to itself (webhook, Discord, Slack). Unknown keys are errors, as everywhere in the config.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NotificationsConfig, ReceiverConfig, RouteConfig } from '../config/types.js';
import type { Field } from '../config/yaml-field.js';
import { parseMatcher } from './matchers.js';

const ROUTE_KEYS = [
  'receiver',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'matchers',
  'match',
  'match_re',
  'continue',
  'routes',
];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const hint = (key: string) =>
  [
    'inhibit_rules',
    'templates',
    'mute_time_intervals',
    'time_intervals',
    'active_time_intervals',
    'mute_time_intervals',
    'email_configs',
    'pagerduty_configs',
    'opsgenie_configs',
  ].includes(key)
    ? `${key} is an Alertmanager feature Vigil does not have: send to a real Alertmanager (alerting.alertmanagers) for it`
    : undefined;

/** Reads `vigil.notifications` (absent: no direct receivers). */
export function readNotifications(field: Field, dir: string): NotificationsConfig {
  const map = field.map(['external_url', 'route', 'receivers'], hint);
  const externalUrl = map.get('external_url').string() || undefined;
  if (externalUrl !== undefined && !/^https?:\/\/[^/]/.test(externalUrl))
    throw map.get('external_url').bad(`expected an http(s) URL, got ${JSON.stringify(externalUrl)}`);
  const names = new Set<string>();
  const receivers = map
    .get('receivers')
    .list()
    .map((item) => {
      const receiver = readReceiver(item, dir);
      if (names.has(receiver.name)) throw item.bad(`two receivers are named ${JSON.stringify(receiver.name)}`);
      names.add(receiver.name);
      return receiver;
    });
  const routeField = map.get('route');
  if (routeField.missing) {
    if (receivers.length > 0)
      throw routeField.bad('a route is required when receivers are configured (route.receiver names the default one)');
    return { externalUrl, route: undefined, receivers };
  }
  const defaults = {
    groupBy: [] as string[] | 'all',
    groupWaitMs: 30_000,
    groupIntervalMs: 300_000,
    repeatIntervalMs: 4 * 3_600_000,
    receiver: '',
  };
  const route = readRoute(routeField, defaults, names, true);
  return { externalUrl, route, receivers };
}

type Inherited = Pick<RouteConfig, 'groupBy' | 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs' | 'receiver'>;

function readRoute(field: Field, parent: Inherited, receivers: Set<string>, root: boolean): RouteConfig {
  const map = field.map(ROUTE_KEYS, hint);
  const receiverField = map.get('receiver');
  const receiver = receiverField.string() || parent.receiver;
  if (receiver === '') throw receiverField.bad('the root route needs a receiver');
  if (!receivers.has(receiver)) throw receiverField.bad(`no receiver is named ${JSON.stringify(receiver)}`);
  let groupBy = parent.groupBy;
  if (map.has('group_by')) {
    const names = map.get('group_by').stringList();
    if (names.includes('...')) {
      if (names.length > 1) throw map.get('group_by').bad("'...' groups by every label and must be alone");
      groupBy = 'all';
    } else {
      for (const name of names)
        if (!LABEL_NAME.test(name)) throw map.get('group_by').bad(`invalid label name ${JSON.stringify(name)}`);
      groupBy = [...new Set(names)];
    }
  }
  const positive = (key: string, fallback: number) => {
    const ms = map.get(key).duration(fallback);
    if (ms === 0) throw map.get(key).bad('must be greater than 0');
    return ms;
  };
  const matchers = map
    .get('matchers')
    .list()
    .map((item) => {
      try {
        return parseMatcher(item.requiredString());
      } catch (error) {
        throw item.bad((error as Error).message);
      }
    });
  for (const [name, value] of map.get('match').stringMap())
    matchers.push({ name, type: '=', value: value.string() ?? '' });
  for (const [name, value] of map.get('match_re').stringMap()) {
    try {
      matchers.push(parseMatcher(`${name}=~${JSON.stringify(value.string() ?? '')}`));
    } catch (error) {
      throw value.bad((error as Error).message);
    }
  }
  if (root && matchers.length > 0)
    throw map.get('matchers').bad('the root route matches every alert: it cannot have matchers');
  if (root && map.has('continue')) throw map.get('continue').bad('the root route cannot have continue');
  const own: Inherited = {
    receiver,
    groupBy,
    groupWaitMs: positive('group_wait', parent.groupWaitMs),
    groupIntervalMs: positive('group_interval', parent.groupIntervalMs),
    repeatIntervalMs: positive('repeat_interval', parent.repeatIntervalMs),
  };
  return {
    ...own,
    matchers,
    continue: map.get('continue').bool(false),
    routes: map
      .get('routes')
      .list()
      .map((child) => readRoute(child, own, receivers, false)),
    origin: `${field.source.fileName} line ${field.line}`,
  };
}

function readReceiver(field: Field, dir: string): ReceiverConfig {
  const map = field.map(['name', 'webhook_configs', 'discord_configs', 'slack_configs'], hint);
  const name = map.get('name').requiredString();
  const url = (item: ReturnType<Field['map']>, key: string) => {
    const fileKey = `${key}_file`;
    if (item.has(key) && item.has(fileKey)) throw item.get(fileKey).bad(`set ${key} or ${fileKey}, not both`);
    let text: string;
    if (item.has(fileKey)) {
      const path = resolve(dir, item.get(fileKey).requiredString());
      try {
        text = readFileSync(path, 'utf8').trim();
      } catch (error) {
        throw item
          .get(fileKey)
          .bad(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    } else text = item.get(key).requiredString();
    // The URL may hold a token (Discord, Slack): the message names the field, never the value.
    if (!/^https?:\/\/[^/]/.test(text) || !URL.canParse(text))
      throw item.get(item.has(fileKey) ? fileKey : key).bad('expected an http(s) URL');
    return text;
  };
  return {
    name,
    webhooks: map
      .get('webhook_configs')
      .list()
      .map((item) => {
        const m = item.map(['url', 'url_file', 'send_resolved', 'max_alerts'], hint);
        return {
          url: url(m, 'url'),
          sendResolved: m.get('send_resolved').bool(true),
          maxAlerts: m.get('max_alerts').uint(),
        };
      }),
    discord: map
      .get('discord_configs')
      .list()
      .map((item) => {
        const m = item.map(['webhook_url', 'webhook_url_file', 'send_resolved'], hint);
        return { webhookUrl: url(m, 'webhook_url'), sendResolved: m.get('send_resolved').bool(true) };
      }),
    slack: map
      .get('slack_configs')
      .list()
      .map((item) => {
        const m = item.map(['api_url', 'api_url_file', 'channel', 'username', 'send_resolved'], hint);
        const channel = m.get('channel').string();
        const username = m.get('username').string();
        return {
          apiUrl: url(m, 'api_url'),
          ...(channel ? { channel } : {}),
          ...(username ? { username } : {}),
          sendResolved: m.get('send_resolved').bool(false),
        };
      }),
    origin: `${field.source.fileName} line ${field.line}`,
  };
}
