// The contracts shared by every stage, the renderer and the Electron shell. No Node imports here.
export * from './common.js';
export * from './group.js';
export * from './detectionResult.js';
export * from './assessmentTask.js';
export * from './riskAssessmentResult.js';
export * from './deadLetter.js';
export * from './taskId.js';
export * from './decode.js';
export * from './messages.js';
export * from './jsonSchema.js';
export * from './desktop.js';
export * from './keyPoolHealth.js';
export * from './alert.js';
export * from './stream.js';
export * from './settings.js';
export * from './benchSeries.js';
