// Types of the two codec packages that ship none (kafkajs-snappy, lz4js), as far as compressionCodecs.ts uses them.
declare module 'kafkajs-snappy' {
  const snappyCodec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export default snappyCodec;
}

declare module 'lz4js' {
  /** Decodes an LZ4 frame (the format Kafka uses since 0.10). */
  export function decompress(source: Uint8Array, maxSize?: number): Uint8Array;
  const lz4: { decompress: typeof decompress };
  export default lz4;
}
