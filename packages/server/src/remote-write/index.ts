// Prometheus remote write 1.0: the sender (a tee of the storage sink) and the receiver route.

export {
  createRemoteWrite,
  DEFAULT_MAX_DISK_BYTES,
  REMOTE_WRITE_DIR,
  type RemoteWrite,
  type RemoteWriteOptions,
  remoteName,
} from './create-remote-write.js';
export {
  DEFAULT_RECEIVER_LIMITS,
  type ReceiverLimits,
  type RemoteWriteReceiverOptions,
  remoteWriteReceiver,
} from './receiver.js';
export {
  decodeWriteRequest,
  encodeWriteRequest,
  REMOTE_WRITE_HEADERS,
  type WireMetadata,
  type WireSeries,
  type WriteRequestBody,
} from './wire.js';
