// Child: the node:http hello world under @opentelemetry/instrumentation-http. Every request
// gets a span, batched as in production into an exporter that only counts them, so tracing
// costs all it would except the network.
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.spans += spans.length;
    done({ code: 0 }); // ExportResultCode.SUCCESS
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const exporter = new CountingExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

// The instrumentation patches `http` through require hooks, so the first require must come
// after it is registered; ESM imports of node:http share the patched module. Hence the
// server code is imported only now.
createRequire(import.meta.url)('node:http');
const { hello, serve } = await import('./serve.js');

serve(hello, async () => {
  await provider.forceFlush();
  return { spans: exporter.spans };
});
