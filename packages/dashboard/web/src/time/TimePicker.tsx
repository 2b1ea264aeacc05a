// The time range picker: the last 15m … 7d, or a custom from/to.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { describeRange, parseTime, RELATIVE_RANGES, type RelativeRange, type TimeRange } from './range.js';

/** A button showing the range; opens a menu of relative ranges and a custom from/to form. */
export function TimePicker({ range, onChange }: { range: TimeRange; onChange: (range: TimeRange) => void }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const choose = (next: TimeRange) => {
    onChange(next);
    setOpen(false);
  };

  return (
    <div className="time-picker" ref={box}>
      <button type="button" className="time-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">◷</span> {describeRange(range)}
      </button>
      {open && (
        <div className="time-menu">
          <div className="time-relative">
            {(Object.keys(RELATIVE_RANGES) as RelativeRange[]).map((last) => (
              <button
                type="button"
                key={last}
                className={range.kind === 'relative' && range.last === last ? 'selected' : ''}
                onClick={() => choose({ kind: 'relative', last })}
              >
                Last {last}
              </button>
            ))}
          </div>
          <CustomRange range={range} onApply={choose} />
        </div>
      )}
    </div>
  );
}

function CustomRange({ range, onApply }: { range: TimeRange; onApply: (range: TimeRange) => void }) {
  const now = Date.now();
  const initialFrom = range.kind === 'absolute' ? range.from : now - RELATIVE_RANGES[range.last] * 1000;
  const initialTo = range.kind === 'absolute' ? range.to : now;
  const [from, setFrom] = useState(toLocalInput(initialFrom));
  const [to, setTo] = useState(toLocalInput(initialTo));
  const [error, setError] = useState<string | undefined>();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const fromMs = parseTime(from);
    const toMs = parseTime(to);
    if (fromMs === undefined || toMs === undefined) return setError('Both times are needed.');
    if (fromMs >= toMs) return setError('"From" must be before "to".');
    onApply({ kind: 'absolute', from: fromMs, to: toMs });
  };

  return (
    <form className="time-custom" onSubmit={apply}>
      <label>
        From
        <input type="datetime-local" step="1" value={from} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" value={to} onChange={(event) => setTo(event.target.value)} />
      </label>
      {error !== undefined && <p className="form-error">{error}</p>}
      <button type="submit">Apply range</button>
    </form>
  );
}

/** `2026-11-23T13:05:09` in local time, what `datetime-local` inputs hold (and Date.parse reads as local). */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}
