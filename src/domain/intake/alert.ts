// What a monitoring notification says, whatever sent it: the normal form both intake kinds are read into.
// The rules that turn labels and annotations into a title and a severity are documented in the README
// ("Alert intake"); they live here and nowhere else.
import { invalid } from '../errors.ts';

export type AlertStatus = 'firing' | 'resolved';

export interface Alert {
  /** Alerts with the same key (per integration) share one open incident. */
  dedupKey: string;
  status: AlertStatus;
  title: string;
  /** The severity label asked for (mapped onto the organisation's severities when the incident opens). */
  severity: string;
  /** `key=value` labels for the incident. */
  labels: string[];
  /** What the timeline keeps of the notification (bounded). */
  details: Record<string, unknown>;
  /** One line for the timeline: `[FIRING:2] HighLatency`. */
  summary: string;
}

export const MAX_TITLE = 256;
const MAX_KEY = 512;
const MAX_LABELS = 20;
const MAX_LABEL = 128;
const MAX_ALERTS_KEPT = 20;

type Strings = Record<string, string>;

/** A label/annotation map: string values only; anything else is refused naming the field. */
function strings(value: unknown, field: string): Strings {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, `${field} must be an object of strings`);
  const out: Strings = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(`${field}.${k}`, `${field}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function text(value: unknown, field: string, required = false): string {
  if (value === undefined || value === null) {
    if (required) throw invalid(field, `${field} is required`);
    return '';
  }
  if (typeof value !== 'string') throw invalid(field, `${field} must be a string`);
  return value.trim();
}

function statusOf(value: unknown, field: string): AlertStatus {
  const s = text(value, field) || 'firing';
  if (s !== 'firing' && s !== 'resolved') throw invalid(field, `${field} must be "firing" or "resolved"`);
  return s;
}

function labelList(labels: Strings): string[] {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .filter((l) => l.length <= MAX_LABEL)
    .slice(0, MAX_LABELS);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function object(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * An Alertmanager (or Grafana Alerting) webhook notification, version 4. Title: the common `summary`
 * annotation, else the common `alertname` label, else Grafana's `title`, else the group labels, else
 * "Alert from <integration>". Severity: the common `severity` label, else the first alert's.
 */
export function alertmanagerAlert(body: unknown, integrationName: string): Alert {
  const b = object(body);
  const groupKey = text(b.groupKey, 'groupKey', true);
  if (!groupKey) throw invalid('groupKey', 'groupKey must not be empty');
  const status = statusOf(b.status, 'status');
  const common = strings(b.commonLabels, 'commonLabels');
  const group = strings(b.groupLabels, 'groupLabels');
  const annotations = strings(b.commonAnnotations, 'commonAnnotations');
  if (b.alerts !== undefined && !Array.isArray(b.alerts)) throw invalid('alerts', 'alerts must be an array');
  const alerts = ((b.alerts ?? []) as unknown[]).map((a, i) => alertmanagerItem(a, `alerts[${i}]`));
  const groupText = Object.entries(group).map(([k, v]) => `${k}=${v}`).join(', ');
  const title = annotations.summary || common.alertname || text(b.title, 'title') || groupText || `Alert from ${integrationName}`;
  const firing = alerts.filter((a) => a.status === 'firing').length;
  return {
    dedupKey: clip(groupKey, MAX_KEY),
    status,
    title: clip(title, MAX_TITLE),
    severity: common.severity || alerts.find((a) => a.labels.severity)?.labels.severity || '',
    labels: labelList(Object.keys(common).length > 0 ? common : group),
    summary: clip(`[${status.toUpperCase()}${alerts.length ? `:${status === 'firing' ? firing : alerts.length}` : ''}] ${title}`, 1000),
    details: {
      source: 'alertmanager',
      status,
      receiver: text(b.receiver, 'receiver'),
      externalURL: text(b.externalURL, 'externalURL'),
      groupLabels: group,
      commonLabels: common,
      commonAnnotations: annotations,
      alerts: alerts.slice(0, MAX_ALERTS_KEPT),
      alertCount: alerts.length,
    },
  };
}

function alertmanagerItem(value: unknown, field: string) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(field, `${field} must be an object`);
  const a = value as Record<string, unknown>;
  return {
    status: statusOf(a.status, `${field}.status`),
    labels: strings(a.labels, `${field}.labels`),
    annotations: strings(a.annotations, `${field}.annotations`),
    startsAt: text(a.startsAt, `${field}.startsAt`),
    endsAt: text(a.endsAt, `${field}.endsAt`),
    generatorURL: text(a.generatorURL, `${field}.generatorURL`),
    fingerprint: text(a.fingerprint, `${field}.fingerprint`),
  };
}

/** The generic JSON form: `{title, dedup_key?, severity?, labels?, body?, status?}`; no dedup_key = the title. */
export function genericAlert(body: unknown): Alert {
  const b = object(body);
  const title = text(b.title, 'title', true);
  if (!title) throw invalid('title', 'title must not be empty');
  const status = statusOf(b.status, 'status');
  const labels = strings(b.labels, 'labels');
  const note = text(b.body, 'body');
  return {
    dedupKey: clip(text(b.dedup_key, 'dedup_key') || title, MAX_KEY),
    status,
    title: clip(title, MAX_TITLE),
    severity: text(b.severity, 'severity'),
    labels: labelList(labels),
    summary: clip(`[${status.toUpperCase()}] ${title}${note ? `: ${note}` : ''}`, 1000),
    details: { source: 'generic', status, labels, body: clip(note, 16_384) },
  };
}

/** Alertmanager's usual severity words, for organisations whose severities are named otherwise. */
const SEVERITY_ALIASES: Record<string, string> = {
  critical: 'critical',
  page: 'critical',
  p1: 'critical',
  sev1: 'critical',
  error: 'major',
  high: 'major',
  warning: 'major',
  warn: 'major',
  p2: 'major',
  sev2: 'major',
  info: 'minor',
  low: 'minor',
  p3: 'minor',
  sev3: 'minor',
};

/** The severity labels to try, in order: the word as sent, then its alias. */
export function severityCandidates(asked: string): string[] {
  const word = asked.trim().toLowerCase();
  if (!word) return [];
  const alias = SEVERITY_ALIASES[word];
  return alias && alias !== word ? [word, alias] : [word];
}
