// snappyjs ships no types; these are the two functions Vigil calls (snappy block format).
declare module 'snappyjs' {
  /** Compresses one buffer as a single snappy block. */
  export function compress<T extends ArrayBuffer | Uint8Array>(input: T): T;
  /** Uncompresses one snappy block; throws when it is malformed or would exceed `maxLength` bytes. */
  export function uncompress<T extends ArrayBuffer | Uint8Array>(input: T, maxLength?: number): T;
  const SnappyJS: { compress: typeof compress; uncompress: typeof uncompress };
  export default SnappyJS;
}
