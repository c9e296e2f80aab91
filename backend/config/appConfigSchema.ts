// The strict schema of the process config (config/default.yaml): roles, bus, cameras, detector, gateway, LLM.
import { z } from 'zod';
import { RISK_LEVELS, TRAFFIC_CLASSES, cameraId } from '../contracts/index.js';
import { alertsSchema } from './alertsSchema.js';
import { calibrationSchema, conflictSchema } from './conflictSchema.js';

export const ROLES = ['detection', 'expander', 'scheduler', 'results', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

const positiveInt = z.number().int().positive();
const ms = z.number().int().positive();

const topicSchema = (name: string, partitions: number, retentionHours: number) =>
  z
    .strictObject({
      name: z.string().min(1).default(name).describe('Topic name.'),
      partitions: positiveInt.default(partitions).describe('Partition count (the unit of scale-out for consumers).'),
      replication_factor: positiveInt.default(3).describe('Replicas per partition; `tcr setup-kafka --dev` forces 1.'),
      retention_ms: ms.default(retentionHours * 3_600_000).describe('How long the broker keeps messages, in ms.'),
    })
    .prefault({});

/** Group names also name the transactional ids (`<group>-<topic>-<partition>`), which Kafka caps at 249 characters. */
const consumerGroup = (name: string) => z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, . _ - (1–128)').default(name);

const brokerAddress = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port');

const kafkaSchema = z
  .strictObject({
    brokers: z.array(brokerAddress).default([]).describe('Bootstrap brokers. Empty: the embedded single-process bus is used.'),
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('tcr')
      .describe('Kafka client id prefix; the client id is `<client_id>-<instance_id>`, so broker logs and quotas name the process.'),
    compression: z.enum(['none', 'gzip']).default('gzip').describe('Producer compression (codecs built into kafkajs).'),
    max_message_bytes: positiveInt
      .min(65_536)
      .default(1_048_576)
      .describe(
        "Largest record batch a producer sends, as the broker's max.message.bytes counts it (1 KiB of it is Kafka's framing); bigger messages are refused before send, and consumers refuse bigger inputs. Must not exceed the topics' max.message.bytes (broker default 1048588).",
      ),
    connection_timeout_ms: ms.default(3000).describe('TCP connect timeout per broker.'),
    request_timeout_ms: ms.default(30_000).describe('Broker request timeout.'),
    session_timeout_ms: ms.min(6000).default(30_000).describe('Consumer session timeout: how long a dead consumer holds its partitions.'),
    rebalance_timeout_ms: ms
      .default(60_000)
      .describe('How long a rebalance waits for members to finish their batch and rejoin (a dead member delays a restart by up to this).'),
    lag_poll_ms: ms.default(5000).describe('How often consumer lag and consume rates are read for metrics and the UI (both buses).'),
    transaction_timeout_ms: ms.default(60_000).describe("How long the broker keeps a stage's open transaction before aborting it."),
    ssl: z
      .strictObject({
        enabled: z.boolean().default(false).describe('Connect with TLS.'),
        ca_file: z.string().nullable().default(null).describe('PEM file of the CA that signed the brokers (null: system CAs).'),
        cert_file: z.string().nullable().default(null).describe('PEM client certificate for mutual TLS.'),
        key_file: z.string().nullable().default(null).describe('PEM client private key for mutual TLS.'),
        reject_unauthorized: z.boolean().default(true).describe('Refuse brokers whose certificate does not verify.'),
      })
      .prefault({}),
    sasl: z
      .strictObject({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism.'),
        username: z.string().min(1).describe('SASL user name.'),
        password: z.string().min(1).describe('SASL password; write it as ${ENV_VAR}.'),
      })
      .nullable()
      .default(null)
      .describe('SASL authentication; null for none.'),
    topics: z
      .strictObject({
        detection_results: topicSchema('detection-results', 16, 1),
        assessment_tasks: topicSchema('assessment-tasks', 32, 2),
        risk_assessment_results: topicSchema('risk-assessment-results', 16, 24),
        dlq: topicSchema('dlq', 4, 24 * 7),
      })
      .prefault({}),
  })
  .prefault({});

const cameraSchema = z.strictObject({
  id: cameraId,
  name: z.string().min(1).max(128).describe('Name shown to operators.'),
  url: z.string().min(1).describe('rtsp://, http(s)://, a video file or an image folder; credentials as ${ENV_VAR}.'),
  enabled: z.boolean().default(true).describe('Disabled cameras are listed but not decoded.'),
  fps: z.number().positive().max(30).default(1).describe('Frames per second sampled for detection.'),
  width: positiveInt.nullable().default(null).describe("Scale the camera's picture to this width (null: source width); boxes, crops and calibration points are in its pixels. Detection always sees the picture scaled to the model's input."),
  decode: z
    .enum(['auto', 'all'])
    .default('auto')
    .describe('auto: decode key frames only while they come at least as often as `fps` asks, else every frame (shown in the camera state); all: always every frame.'),
  loop: z.boolean().default(false).describe('Restart a file source at its end (demos, tests).'),
  motion_gate: z
    .strictObject({
      threshold: z.number().min(0).max(255).default(2).describe('Mean absolute luma change (0–255) on a 64 × 36 grid of the detection image at or below which a frame is still and skips inference.'),
      max_skip_ms: ms.max(60_000).default(5000).describe('A still camera gets an inference (and a published result) at least this often; the wall calls a camera stale after ten of these.'),
    })
    .nullable()
    .default(null)
    .describe('Motion gating (null: off): frames that barely differ from the last one the detector saw are not run through it; counted as gated, not processed.'),
  calibration: calibrationSchema.nullable().default(null).describe("The camera's ground plane, for conflict measures in metres (null: measured in image pixels, marked uncalibrated)."),
});

const detectorSchema = z
  .strictObject({
    model: z
      .strictObject({
        path: z.string().min(1).default('resources/models/yolox_nano.onnx').describe('ONNX model file: the bundled one, or a writable place when it is to be downloaded.'),
        format: z.enum(['yolox', 'yolov8']).default('yolox').describe('Output layout of the model.'),
        input_size: positiveInt.default(416).describe('Square model input side, pixels.'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().default(null).describe('Expected hash of the model file (null: not checked).'),
        download_url: z
          .url()
          .nullable()
          .default(null)
          .describe('Where to fetch the model on first run when `path` does not exist; needs `sha256` (null: never download).'),
      })
      .prefault({}),
    score_threshold: z.number().min(0).max(1).default(0.3).describe('Minimum objectness × class score.'),
    nms_iou: z.number().gt(0).max(1).default(0.45).describe('IoU above which overlapping boxes are merged.'),
    classes: z.array(z.string().min(1)).min(1).default([...TRAFFIC_CLASSES]).describe('Classes kept; all others are dropped.'),
    class_thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}).describe('Per-class score thresholds overriding score_threshold.'),
    merge_classes: z
      .array(z.array(z.string().min(1)).min(2))
      .default([['car', 'truck', 'bus']])
      .describe('Classes that count as one object in NMS, so one vehicle is not reported as both car and truck.'),
    sessions: z.number().int().min(0).max(16).default(0).describe('ONNX sessions run side by side, each on its own thread (0: one per core, at most 4).'),
    intra_op_threads: z.number().int().min(0).default(0).describe('onnxruntime intra-op threads per session (0: the cores shared out among the sessions).'),
    ffmpeg_path: z.string().min(1).nullable().default(null).describe('ffmpeg binary (null: the one bundled with the app).'),
  })
  .prefault({});

const detectionSchema = z
  .strictObject({
    tracker: z
      .strictObject({
        high_score: z.number().min(0).max(1).default(0.5).describe('Detections at or above this score start tracks; weaker ones only extend tracks.'),
        match_iou: z.number().gt(0).max(1).default(0.3).describe("IoU between a track's predicted box and a detection to count as the same object."),
        max_lost_ms: ms.default(3000).describe('A track unseen this long is dropped.'),
        velocity_smoothing: z.number().gt(0).max(1).default(0.5).describe('Weight of the newest measurement in a track velocity.'),
      })
      .prefault({}),
    groups: z
      .strictObject({
        link_distance_factor: z.number().nonnegative().default(1).describe('Road users are grouped when their boxes are at most this × their mean size (√area) apart.'),
        min_members: positiveInt.default(2).describe('Smallest group worth assessing.'),
        stationary_speed_factor: z.number().nonnegative().default(0.05).describe('A member moving less than this × its size per second counts as still.'),
        moving_refresh_ms: ms.default(10_000).describe('An unchanged moving group is published again after this long; still groups are not.'),
        distance_change: z.number().positive().default(0.25).describe('Relative change of the person–vehicle gap that makes a group worth publishing again.'),
        person_classes: z.array(z.string().min(1)).default(['person']).describe('Classes counted as people in person–vehicle distances.'),
        vehicle_classes: z
          .array(z.string().min(1))
          .default(['car', 'bus', 'truck'])
          .describe('Classes counted as vehicles in person–vehicle distances (riders sit on bicycles and motorcycles, so those are left out).'),
      })
      .prefault({}),
    conflict: conflictSchema,
    thumbnail_width: z.number().int().min(0).default(320).describe('Width of the camera-wall preview (0: none).'),
    thumbnail_interval_ms: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(2000)
      .describe("A camera's result carries a preview at most this often (0: every result); the others carry none, which saves a JPEG encode per frame."),
    crop_max_side: z.number().int().min(64).max(2048).default(512).describe('Longest side of the JPEG crop sent with each group.'),
    jpeg_quality: z.number().int().min(30).max(95).default(75).describe('JPEG quality of thumbnails and crops.'),
  })
  .prefault({});

const expanderSchema = z
  .strictObject({
    dedup_window_ms: z.number().int().min(0).default(30_000).describe('A group like one already tasked for the same camera within this window is not tasked again (0: off).'),
    dedup_region_iou: z.number().gt(0).max(1).default(0.7).describe('Region overlap above which two groups of one camera with the same members by class are the same.'),
    task_ttl_ms: ms.max(3_600_000).default(15_000).describe('A task is stale this long after its frame was captured (its deadline).'),
    consumer_group: consumerGroup('expander').describe('Consumer group of the expanders on detection-results; two deployments on one cluster need different ones.'),
  })
  .prefault({});

export const appConfigSchema = z
  .strictObject({
    instance_id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('local').describe('Name of this process in metrics, logs and Kafka ids.'),
    roles: z.array(z.enum(ROLES)).min(1).default([...ROLES]).describe('Roles this process runs.'),
    data_dir: z.string().min(1).default('data').describe('Directory for the embedded bus, the results store and the gateway token.'),
    max_clock_skew_ms: z
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .default(30_000)
      .describe(
        "How far a message's event time (a frame's capture time) may lie ahead of this host's clock; later ones are dead-lettered as event_time_in_future, so one wrong clock cannot silence a camera or make deadlines years long.",
      ),
    log: z
      .strictObject({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info').describe('Lowest level written.'),
        format: z.enum(['auto', 'json', 'pretty']).default('auto').describe('auto: readable in a terminal, JSON lines otherwise and in server mode.'),
      })
      .prefault({}),
    kafka: kafkaSchema,
    embedded_bus: z
      .strictObject({
        retention_ms: ms.default(86_400_000).describe('Messages older than this are deleted.'),
        max_bytes: positiveInt.default(1_073_741_824).describe('Oldest messages are deleted beyond this size.'),
      })
      .prefault({}),
    cameras: z.array(cameraSchema).default([]).describe('Cameras this process decodes (role detection).'),
    detector: detectorSchema,
    detection: detectionSchema,
    expander: expanderSchema,
    gateway: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1').describe('Listen address; anything but loopback exposes the API to the network.'),
        port: z.number().int().min(0).max(65535).default(8080).describe('Listen port (0: any free port).'),
        token: z
          .string()
          .min(16)
          .regex(/^\S+$/, 'one word, no spaces')
          .nullable()
          .default(null)
          .describe('API token, as ${ENV_VAR} (null: generated at first start and kept in data_dir/gateway.token, readable by its owner only).'),
        cors_origins: z
          .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'scheme://host[:port], no path'))
          .default([])
          .describe('Web origins a browser may call the API from (empty: none; the UI the gateway serves needs none).'),
      })
      .prefault({}),
    desktop: z
      .strictObject({
        keep_running_on_close: z
          .boolean()
          .default(false)
          .describe('Desktop app: closing the window leaves the backend running (detection, alerts) with the tray icon to reopen it; false: closing quits.'),
      })
      .prefault({}),
    llm: z
      .strictObject({
        base_url: z.url().default('https://dashscope.aliyuncs.com/compatible-mode/v1').describe('OpenAI-compatible endpoint.'),
        model: z.string().min(1).max(128).default('qwen-vl-plus').describe('Multimodal model name.'),
        language: z.enum(['zh-CN', 'en']).default('zh-CN').describe('Language of the text operators read (descriptions, actions); it picks the prompt file too.'),
        timeout_ms: ms.default(20_000).describe('Per-request timeout (a task\'s deadline cuts it shorter).'),
        api_keys_file: z.string().min(1).default('config/api_keys.yaml').describe('Key pool file (see the API keys file below).'),
        prompt_file: z
          .string()
          .min(1)
          .nullable()
          .default(null)
          .describe('Prompt template operators may edit, with {{placeholders}} (null: config/prompts/risk_assessment.<language>.md).'),
        max_tokens: positiveInt.max(8192).default(600).describe('Most tokens an answer may use.'),
        max_image_bytes: positiveInt
          .max(393_216)
          .default(262_144)
          .describe("Largest group crop (JPEG bytes) sent to the model; a bigger one is dead-lettered as crop_too_large."),
      })
      .prefault({}),
    scheduler: z
      .strictObject({
        workers: positiveInt.max(1000).default(10).describe('Assessments in flight in one scheduler instance, across all of its partitions.'),
        consumer_group: consumerGroup('scheduler').describe('Consumer group of the scheduler instances on assessment-tasks.'),
        assessor: z
          .enum(['auto', 'llm', 'rules'])
          .default('auto')
          .describe('auto: the LLM when llm.api_keys_file exists, else the rules assessor (the zero-setup default); llm: the file must exist.'),
        fallback: z
          .enum(['rules', 'none'])
          .default('rules')
          .describe('When the LLM gives no verdict before the deadline: rules (a rules verdict that says why) or none (the task goes to the dlq with the reason).'),
        max_attempts: positiveInt.max(50).default(6).describe('LLM requests per task over all keys, repair request included; the deadline bounds the time.'),
        drain_timeout_ms: ms.max(600_000).default(20_000).describe('On SIGTERM, how long assessments in flight may finish and commit before the instance leaves.'),
        endpoint_failure_threshold: positiveInt
          .default(10)
          .describe('Consecutive requests that reach no server (connection refused, reset, timeout), over all keys, that open the endpoint circuit.'),
        endpoint_open_ms: ms
          .default(10_000)
          .describe('While the endpoint circuit is open, tasks go to the fallback at once (or wait); then one request probes the endpoint.'),
        ops: z
          .strictObject({
            host: z.string().min(1).default('127.0.0.1').describe('Listen address of `tcr scheduler`\'s /healthz, /metrics and /api-key-pool/health.'),
            port: z.number().int().min(0).max(65535).default(8080).describe('Listen port (0: any free port); inside `tcr server` the gateway serves these instead.'),
          })
          .prefault({}),
      })
      .prefault({}),
    alerts: alertsSchema,
    results: z
      .strictObject({
        file: z.string().min(1).nullable().default(null).describe('The results store, a SQLite file (null: results.sqlite in data_dir).'),
        retention_days: z.number().positive().max(3650).default(30).describe('Results, and closed alerts last seen, longer ago than this are deleted, checked every hour and at start.'),
        crop_min_risk_level: z.enum(RISK_LEVELS).default('medium').describe("Verdicts at this level or above keep their group crop (an alert's picture); the others keep only their text."),
        crop_retention_days: z.number().positive().max(3650).default(7).describe('Crops are deleted this long after their verdict was stored (they are most of the disk a site uses).'),
        consumer_group: consumerGroup('results').describe('Consumer group of the results role on risk-assessment-results; every process with its own store needs its own group.'),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.cameras.forEach((camera, index) => {
      if (seen.has(camera.id)) ctx.addIssue({ code: 'custom', path: ['cameras', index, 'id'], message: `duplicate camera id "${camera.id}"` });
      seen.add(camera.id);
    });
    if (config.detector.model.download_url !== null && config.detector.model.sha256 === null) {
      ctx.addIssue({ code: 'custom', path: ['detector', 'model', 'sha256'], message: 'required when download_url is set (a download is only trusted by its hash)' });
    }
    if (new Set(config.roles).size !== config.roles.length) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'a role is listed twice' });
  });

export type AppConfig = z.infer<typeof appConfigSchema>;
