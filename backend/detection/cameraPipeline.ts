// One camera's path from a decoded frame to a DetectionResultMessage: detect, track, group, pick what to publish, render.
import { SCHEMA_VERSION, type DetectionResultMessage } from '../contracts/index.js';
import type { Box } from '../core/boxGeometry.js';
import type { DetectionTiming, Detector } from './detector/detector.js';
import type { CapturedFrame } from './sources/frameSource.js';
import type { Calibration } from '../config/index.js';
import { ConflictAnalysis, type ConflictSettings } from './conflict/conflictAnalysis.js';
import { groundPlaneOf } from './conflict/groundPlane.js';
import { findGroups, type GroupSettings } from './groups/groupAnalysis.js';
import { GroupEmitter, type EmitSettings } from './groups/groupEmitter.js';
import { renderCrop, renderThumbnail, type ImagerySettings } from './imagery.js';
import { MotionGate, type MotionGateSettings } from './motionGate.js';
import { Tracker, type TrackerSettings } from './tracker/tracker.js';

export interface CameraPipelineSettings {
  cameraId: string;
  tracker: TrackerSettings;
  groups: GroupSettings;
  emit: EmitSettings;
  conflict: ConflictSettings;
  calibration: Calibration | null;
  imagery: ImagerySettings;
  /** null: every frame is run through the detector. */
  motionGate: MotionGateSettings | null;
}

export interface FrameTiming extends DetectionTiming {
  /** Waiting for the shared detector behind other cameras' frames, plus letterbox, inference and decode. */
  detectMs: number;
  /** Tracker, conflict measures, groups and the choice of what to publish. */
  analyseMs: number;
  /** Thumbnail (when one is due) and crops. */
  renderMs: number;
  /** Crops rendered from the full picture, and from the detection image because the picture was recycled. */
  crops: number;
  cropsFromImage: number;
  thumbnail: boolean;
}

export interface ProcessedFrame {
  message: DetectionResultMessage;
  timing: FrameTiming;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
const scaleBox = (box: Box, factor: number): Box => box.map((value) => value * factor) as Box;

export class CameraPipeline {
  private readonly tracker: Tracker;
  private readonly emitter: GroupEmitter;
  private readonly conflict: ConflictAnalysis;
  private lastThumbnailAtMs = -Infinity;
  private readonly motionGate: MotionGate | null;

  constructor(
    private readonly detector: Detector,
    private readonly settings: CameraPipelineSettings,
  ) {
    this.tracker = new Tracker(settings.tracker);
    this.emitter = new GroupEmitter(settings.emit);
    this.conflict = new ConflictAnalysis(settings.conflict, groundPlaneOf(settings.calibration));
    this.motionGate = settings.motionGate && new MotionGate(settings.motionGate);
  }

  /**
   * Motion gating: false when the frame is still next to the last one the detector saw. Such a frame is not
   * processed (nothing is published for it) and the tracker holds its tracks where they were.
   */
  needsInference(frame: CapturedFrame): boolean {
    if (this.motionGate === null || this.motionGate.needsInference(frame.image, frame.capturedAtMs)) return true;
    this.tracker.hold(frame.capturedAtMs);
    return false;
  }

  async process(frame: CapturedFrame, nowMs: () => number = Date.now): Promise<ProcessedFrame> {
    const started = performance.now();
    const { objects, timing, resized } = await this.detector.detect(frame.image, frame);
    const analyseStarted = performance.now();
    const { objects: tracked, visible } = this.tracker.update(objects, frame.capturedAtMs);
    this.conflict.observe(visible, frame.capturedAtMs, frame.width);
    const groups = findGroups(visible, this.settings.groups, this.conflict);
    const emitted = this.emitter.select(groups, frame.capturedAtMs).map((group) => this.conflict.withPet(group));
    const renderStarted = performance.now();
    const imagery = this.settings.imagery;
    // A tenth of slack: frames an interval apart by the camera's clock may come a few ms early by ours.
    const thumbnailDue = frame.capturedAtMs - this.lastThumbnailAtMs >= imagery.thumbnailIntervalMs * 0.9;
    if (thumbnailDue) this.lastThumbnailAtMs = frame.capturedAtMs;
    const picture = emitted.length > 0 ? frame.picture() : null;
    const crops = emitted.map((group) => (picture ? renderCrop(picture, group.region, imagery) : renderCrop({ format: 'rgb', frame: frame.image }, scaleBox(group.region, frame.image.width / frame.width), imagery)));
    const [thumbnail, ...cropsB64] = await Promise.all([thumbnailDue ? renderThumbnail(resized, imagery) : null, ...crops]);
    const message: DetectionResultMessage = {
      schema_version: SCHEMA_VERSION,
      camera_id: this.settings.cameraId,
      frame_id: `${frame.capturedAtMs}-${frame.sequence}`,
      captured_at_ms: frame.capturedAtMs,
      frame_width: frame.width,
      frame_height: frame.height,
      model: this.detector.modelName,
      processing_ms: Math.max(0, nowMs() - frame.capturedAtMs),
      detections: tracked.map((o) => ({ class_name: o.className, score: Math.round(o.score * 1000) / 1000, box: o.box.map(round1) as typeof o.box, track_id: o.trackId })),
      tracks: visible.map((t) => ({
        track_id: t.trackId,
        class_name: t.className,
        box: t.box.map(round1) as typeof t.box,
        age_frames: t.ageFrames,
        velocity_px_s: [round1(t.velocityPxS[0]), round1(t.velocityPxS[1])],
      })),
      groups: emitted.map((group, index) => ({ ...group, crop_jpeg_b64: cropsB64[index] ?? null })),
      thumbnail_jpeg_b64: thumbnail ?? null,
    };
    const renderMs = performance.now() - renderStarted;
    const cropsFromImage = picture === null ? emitted.length : 0;
    return { message, timing: { ...timing, detectMs: analyseStarted - started, analyseMs: renderStarted - analyseStarted, renderMs, crops: emitted.length, cropsFromImage, thumbnail: thumbnailDue } };
  }
}
