// What the CLI wires: `vigil tail`.
export { DeliveryFailed, type DeliveryOptions, lineDelivery } from './deliver.js';
export { runTail, type TailArgs, type TailIo } from './run-tail.js';
