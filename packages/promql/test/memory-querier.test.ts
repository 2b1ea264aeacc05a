import { MemoryQuerier } from '../src/index.js';
import { querierContract } from '../src/storage/contract.js';

querierContract('MemoryQuerier', (series) => {
  const q = new MemoryQuerier();
  for (const s of series) for (const { t, v } of s.samples) q.add(s.labels, t, v);
  return q;
});
