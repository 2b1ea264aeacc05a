// The server's ingest and OTLP schema modules, loaded from its build output: @vigil/server's
// exports map names only its CLI entry, and the benchmark measures the very routes the service
// registers. Types come from the emitted declarations.
import type * as IngestModule from '../../../packages/server/dist/src/ingest/index.js';
import type * as SchemaModule from '../../../packages/server/dist/src/ingest/otlp/schema.js';

const root = new URL('../../../../packages/server/dist/src/ingest/', import.meta.url);

/** `ingestRoutes` and friends. */
export async function loadIngest(): Promise<typeof IngestModule> {
  return (await import(new URL('index.js', root).href)) as typeof IngestModule;
}

/** The OTLP message types (to encode request bodies). */
export async function loadSchema(): Promise<typeof SchemaModule> {
  return (await import(new URL('otlp/schema.js', root).href)) as typeof SchemaModule;
}
