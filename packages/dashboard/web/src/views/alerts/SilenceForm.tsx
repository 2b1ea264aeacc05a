// Creating a silence: matchers, a duration and a comment, posted to the service.
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { useData } from '../../live/use-live-data.js';

/** Matchers as `name="value"` or `name=~"regex"`, comma separated; undefined when one is unreadable. */
export function parseMatchers(
  text: string,
): { name: string; value: string; isRegex: boolean; isEqual: boolean }[] | undefined {
  const out = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"$/.exec(part);
    if (match === null) return undefined;
    const op = match[2]!;
    out.push({ name: match[1]!, value: match[3]!, isRegex: op.includes('~'), isEqual: !op.startsWith('!') });
  }
  return out.length === 0 ? undefined : out;
}

/** The new-silence form. */
export function SilenceForm() {
  const { client } = useData();
  const [matchers, setMatchers] = useState('');
  const [hours, setHours] = useState('2');
  const [createdBy, setCreatedBy] = useState('');
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMatchers(matchers);
    const duration = Number(hours);
    if (parsed === undefined)
      return setMessage({ ok: false, text: 'Matchers look like alertname="HighErrorRate", job="agent"' });
    if (!(duration > 0)) return setMessage({ ok: false, text: 'Duration must be a positive number of hours' });
    const now = Date.now();
    try {
      await client.sendJson('POST', '/api/vigil/silences', {
        matchers: parsed,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + duration * 3600_000).toISOString(),
        // Required by the service (as by Alertmanager): who is silencing.
        createdBy: createdBy.trim() || 'dashboard',
        comment,
      });
      setMessage({ ok: true, text: 'Silence created' });
    } catch (error) {
      const text =
        error instanceof ApiError && error.notAvailable
          ? 'The service has no silences API yet (/api/vigil/silences)'
          : error instanceof Error
            ? error.message
            : String(error);
      setMessage({ ok: false, text });
    }
  };

  return (
    <form className="silence-form" onSubmit={submit}>
      <h3>New silence</h3>
      <label>
        Matchers
        <input
          value={matchers}
          placeholder='alertname="HighErrorRate", job="agent"'
          onChange={(e) => setMatchers(e.target.value)}
        />
      </label>
      <label>
        Hours
        <input type="number" min="0.25" step="0.25" value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
      <label>
        Created by
        <input value={createdBy} placeholder="dashboard" onChange={(e) => setCreatedBy(e.target.value)} />
      </label>
      <label>
        Comment
        <input value={comment} placeholder="why" onChange={(e) => setComment(e.target.value)} />
      </label>
      <button type="submit">Silence</button>
      {message !== undefined && <p className={message.ok ? 'form-ok' : 'form-error'}>{message.text}</p>}
    </form>
  );
}
