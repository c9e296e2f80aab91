// Failures of the model and its inputs: a missing or foreign model file, an image that is not an image.
import { AppError, type AppErrorOptions } from '../../core/errors.js';

export class DetectorError extends AppError {
  constructor(code: 'model_missing' | 'model_invalid' | 'model_shape' | 'model_download' | 'image_invalid', message: string, options?: AppErrorOptions) {
    super(code, message, options);
  }
}
