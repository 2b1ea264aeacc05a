// The PromQL input with completion of metric names, functions, label names and label values.
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { prometheusApi } from '../../api/prometheus.js';
import { useData } from '../../live/use-live-data.js';
import { type CompletionContext, completionContext, labelValueInsert, PROMQL_FUNCTIONS, rank } from './completion.js';

interface Suggestions {
  context: CompletionContext;
  items: { text: string; kind: string }[];
}

/** The editor; Enter runs (Shift+Enter for a new line), Tab/Enter take a suggestion, Escape closes the list. */
export function QueryEditor({ initial, onRun }: { initial: string; onRun: (query: string) => void }) {
  const { client } = useData();
  const [text, setText] = useState(initial);
  const [suggestions, setSuggestions] = useState<Suggestions | undefined>();
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const cache = useRef(new Map<string, Promise<string[]>>());
  const request = useRef(0);
  const pendingCursor = useRef<number | null>(null);

  // The caret goes after an accepted completion in the same commit, before any further keystroke lands.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each text change on purpose
  useLayoutEffect(() => {
    const position = pendingCursor.current;
    if (position === null || input.current === null) return;
    pendingCursor.current = null;
    input.current.setSelectionRange(position, position);
  }, [text]);

  useEffect(() => setText(initial), [initial]);

  const cached = (key: string, load: () => Promise<string[]>) => {
    let value = cache.current.get(key);
    if (value === undefined) {
      value = load().catch(() => {
        cache.current.delete(key);
        return [];
      });
      cache.current.set(key, value);
    }
    return value;
  };

  const suggest = async (value: string, cursor: number, force = false) => {
    const context = completionContext(value, cursor);
    const id = ++request.current;
    if (context === undefined || (!force && context.kind === 'metric' && context.prefix.length < 1)) {
      setSuggestions(undefined);
      return;
    }
    const api = prometheusApi(client);
    let items: Suggestions['items'];
    if (context.kind === 'metric') {
      const names = await cached('__name__', () => api.labelValues('__name__'));
      const metrics = rank(names, context.prefix).map((t) => ({ text: t, kind: 'metric' }));
      const functions = rank(PROMQL_FUNCTIONS, context.prefix, 8).map((t) => ({ text: t, kind: 'function' }));
      items = [...functions, ...metrics];
    } else if (context.kind === 'labelName') {
      const metric = context.metric;
      const names = await cached(`labels:${metric ?? ''}`, () =>
        metric === undefined
          ? api.labelNames()
          : client.prometheus<string[]>('/api/v1/labels', { 'match[]': [metric] }),
      );
      items = rank(
        names.filter((n) => n !== '__name__'),
        context.prefix,
      ).map((t) => ({ text: t, kind: 'label' }));
    } else {
      const { label, metric } = context;
      const values = await cached(`values:${label}:${metric ?? ''}`, () => api.labelValues(label, metric));
      items = rank(values, context.prefix).map((t) => ({ text: t, kind: 'value' }));
    }
    if (id !== request.current) return;
    setSelected(0);
    setSuggestions(items.length === 0 ? undefined : { context, items });
  };

  const accept = (item: string) => {
    const element = input.current;
    if (element === null || suggestions === undefined) return;
    const cursor = element.selectionStart;
    const { context } = suggestions;
    const after = text.slice(cursor);
    const inserted = context.kind === 'labelValue' ? labelValueInsert(item, after) : item;
    const next = text.slice(0, context.from) + inserted + after;
    const position = context.from + inserted.length;
    pendingCursor.current = position;
    setText(next);
    setSuggestions(undefined);
    element.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions !== undefined) {
      const count = suggestions.items.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected((selected + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) || event.key === 'Tab') {
        event.preventDefault();
        accept(suggestions.items[selected]?.text ?? '');
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setSuggestions(undefined);
        return;
      }
    }
    if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      void suggest(text, event.currentTarget.selectionStart, true);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      setSuggestions(undefined);
      onRun(text.trim());
    }
  };

  return (
    <div className="query-editor">
      <textarea
        ref={input}
        className="query-input mono"
        aria-label="PromQL query"
        spellCheck={false}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        placeholder="PromQL, e.g. sum by (job) (rate(http_requests_total[5m]))   (Enter runs, Shift+Enter new line, Ctrl+Space completes)"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          void suggest(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setSuggestions(undefined), 150)}
      />
      {suggestions !== undefined && (
        <div className="completions" role="listbox" aria-label="completions">
          {suggestions.items.map((item, i) => (
            <div
              key={`${item.kind}:${item.text}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === selected}
              className={i === selected ? 'selected' : ''}
              onMouseDown={(event) => {
                event.preventDefault();
                accept(item.text);
              }}
            >
              <span className="mono">{item.text}</span>
              <span className="completion-kind">{item.kind}</span>
            </div>
          ))}
        </div>
      )}
      <button type="button" className="primary run-button" onClick={() => onRun(text.trim())}>
        Run query
      </button>
    </div>
  );
}
