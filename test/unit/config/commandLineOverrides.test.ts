// `tcr server --model … --camera name=url`: checked by the config schema, a problem naming the option it came from.
import { describe, expect, it } from 'vitest';
import { appConfigSchema, applyCommandLineOverrides } from '../../../backend/config/index.js';
import { ConfigError } from '../../../backend/core/errors.js';

const base = appConfigSchema.parse({ cameras: [{ id: 'cam-01', name: '人民路', url: 'rtsp://192.0.2.10/stream1' }] });

describe('config > command-line overrides', () => {
  it('runs the cameras given instead of the configured ones, looping files, and replaces the model without the release download', () => {
    const config = applyCommandLineOverrides(base, { modelPath: '/models/site.onnx', cameras: ['gate-2=/videos/gate.mp4', 'cam-9=rtsp://u:p@192.0.2.9/s'] });
    expect(config.cameras.map((camera) => [camera.id, camera.url, camera.loop, camera.fps])).toEqual([
      ['gate-2', '/videos/gate.mp4', true, 1],
      ['cam-9', 'rtsp://u:p@192.0.2.9/s', false, 1],
    ]);
    expect(config.detector.model).toMatchObject({ path: '/models/site.onnx', download_url: null, sha256: null });
    expect(applyCommandLineOverrides(base, {})).toEqual(base);
  });

  it('names the option in a problem: a spec without name=url, a bad id, a duplicate', () => {
    const problem = (cameras: string[]): string => {
      try {
        applyCommandLineOverrides(base, { cameras });
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return 'no problem';
    };
    expect(problem(['just-a-url'])).toBe('--camera: expected name=url, got "just-a-url"');
    expect(problem(['路口=/v.mp4'])).toMatch(/^--camera 路口=\/v\.mp4: id: letters, digits/);
    expect(problem(['cam-01=/v.mp4'])).toBe('no problem');
    expect(problem(['gate=/a.mp4', 'gate=/b.mp4'])).toMatch(/^--camera gate=\/b\.mp4: id: duplicate camera id "gate"/);
  });
});
