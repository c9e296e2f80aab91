// Decompression for every codec a Kafka producer may use. kafkajs ships gzip only: a batch another team's client
// wrote with lz4, snappy or zstd (librdkafka and the Java client offer all three) made our consumer fail the fetch
// and restart forever, stopping the whole partition (issue 11). Our own producers write gzip or none, so only
// decompression is needed here; all three are pure JavaScript, nothing to build per platform.
import { decompress as zstdDecompress } from 'fzstd';
import kafkajs from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import lz4 from 'lz4js';
import { BugError } from '../../core/errors.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

function decompressOnly(name: string, decompress: (buffer: Buffer) => Uint8Array): () => { compress(): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> } {
  return () => ({
    compress: () => Promise.reject(new BugError(`the bus writes gzip or uncompressed batches, never ${name}`)),
    decompress: async (buffer) => {
      const bytes = decompress(buffer);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  });
}

let registered = false;

/** Registers the codecs in kafkajs's process-wide table, once. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = decompressOnly('lz4', (buffer) => lz4.decompress(buffer));
  CompressionCodecs[CompressionTypes.ZSTD] = decompressOnly('zstd', (buffer) => zstdDecompress(buffer));
}
