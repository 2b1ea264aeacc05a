// A select of a label's values, kept in the URL under the label's name.
import { prometheusApi } from '../api/prometheus.js';
import { useNavigation } from '../app/location.js';
import { useData, useLiveData } from '../live/use-live-data.js';

/** Filter on `label` among the values it has on series matching `match`. */
export function LabelFilter({ label, title, match }: { label: string; title: string; match: string }) {
  const { client } = useData();
  const { location, navigate } = useNavigation();
  const values = useLiveData(`values:${label}:${match}`, (signal) =>
    prometheusApi(client).labelValues(label, match, signal),
  );
  const current = location.params.get(label) ?? '';
  const options = values.data ?? [];
  return (
    <label>
      {title}
      <select
        aria-label={title}
        value={current}
        onChange={(event) => navigate({ params: { [label]: event.target.value } })}
      >
        <option value="">all</option>
        {current !== '' && !options.includes(current) && <option value={current}>{current}</option>}
        {options.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );
}
