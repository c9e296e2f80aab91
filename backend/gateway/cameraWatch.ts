// The camera wall's view of every camera: the latest frame of each from detection-results (so cameras decoded on
// other machines show too), the decoder's own state where detection runs in this process, and `stale` for a
// camera whose frames stopped arriving.
import type { Bus, Subscription } from '../bus/bus.js';
import { detectionResultMessage, type CameraView, type DetectionResultMessage, type StreamMessage } from '../contracts/index.js';
import type { Clock } from '../core/clock.js';

export interface CameraWatchSettings {
  group: string;
  topic: string;
  /** Configured cameras, shown before their first frame. */
  known: readonly { id: string; name: string | null }[];
  /** A camera without a frame for this long is stale. */
  staleAfterMs: number;
  /** The decoders of this process, by camera id (empty when detection runs elsewhere). */
  localStates(): Record<string, { state: CameraView['state']; reason: string | null; lastFrameAtMs: number | null; framesRead: number; framesSkipped: number; decode: 'key_frames' | 'all'; decodeNote: string | null }>;
  onThumbnail(message: Extract<StreamMessage, { type: 'thumbnail' }>): void;
}

interface Latest {
  capturedAtMs: number;
  detections: number;
  groups: number;
  /** The camera's results carry previews (most of them may not: detection.thumbnail_interval_ms). */
  pictured: boolean;
}

export function createCameraWatch(bus: Bus, settings: CameraWatchSettings, clock: Clock) {
  const latest = new Map<string, Latest>();
  const names = new Map(settings.known.map((camera) => [camera.id, camera.name]));
  let subscription: Subscription | null = null;

  const seen = (frame: DetectionResultMessage): void => {
    const before = latest.get(frame.camera_id);
    if (before && before.capturedAtMs > frame.captured_at_ms) return;
    const pictured = frame.thumbnail_jpeg_b64 !== null;
    latest.set(frame.camera_id, { capturedAtMs: frame.captured_at_ms, detections: frame.detections.length, groups: frame.groups.length, pictured: pictured || (before?.pictured ?? false) });
    // Between two previews the wall keeps the last one with its own boxes, rather than boxes over no picture;
    // a camera that sends no previews at all still shows its boxes on every frame.
    if (!pictured && before?.pictured) return;
    settings.onThumbnail({
      type: 'thumbnail',
      camera_id: frame.camera_id,
      captured_at_ms: frame.captured_at_ms,
      frame_width: frame.frame_width,
      frame_height: frame.frame_height,
      jpeg_b64: frame.thumbnail_jpeg_b64,
      detections: frame.detections,
      groups: frame.groups.map((group) => ({ group_id: group.group_id, region: group.region })),
    });
  };

  return {
    async start(): Promise<void> {
      subscription = await bus.subscribe({
        group: settings.group,
        topic: settings.topic,
        schema: detectionResultMessage,
        stage: 'gateway',
        startAt: 'latest',
        // The wall is a view: a record it cannot read is the expander's to dead-letter, once.
        unreadable: 'skip',
        handle: async (frame) => seen(frame),
      });
    },
    cameras(): CameraView[] {
      const local = settings.localStates();
      const ids = [...new Set([...names.keys(), ...Object.keys(local), ...latest.keys()])].sort();
      const now = clock.now();
      return ids.map((id) => {
        const frame = latest.get(id);
        const decoder = local[id];
        const lastFrameMs = frame?.capturedAtMs ?? decoder?.lastFrameAtMs ?? null;
        const stale = lastFrameMs === null || now - lastFrameMs > settings.staleAfterMs;
        const state: CameraView['state'] = decoder ? (decoder.state === 'live' && stale ? 'stale' : decoder.state) : frame ? (stale ? 'stale' : 'live') : 'unknown';
        return {
          id,
          name: names.get(id) ?? null,
          state,
          reason: decoder?.reason ?? null,
          last_frame_ms: lastFrameMs,
          detections: frame?.detections ?? 0,
          groups: frame?.groups ?? 0,
          frames_read: decoder?.framesRead ?? null,
          frames_skipped: decoder?.framesSkipped ?? null,
          decode: decoder?.decode ?? null,
          decode_note: decoder?.decodeNote ?? null,
        };
      });
    },
    async stop(): Promise<void> {
      await subscription?.stop();
      subscription = null;
    },
  };
}

export type CameraWatch = ReturnType<typeof createCameraWatch>;
