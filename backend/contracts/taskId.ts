// Deterministic task ids, so a retried or replayed frame yields the same task and the stores stay idempotent.
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';

/** UUIDv5 namespace of Traffic Control Room task ids. Python: uuid.uuid5(UUID(TASK_ID_NAMESPACE), name). */
export const TASK_ID_NAMESPACE = '6f1c2b7e-3d4a-5e8f-9a0b-1c2d3e4f5a6b';

export const taskIdSchema = z.uuid().describe('UUIDv5 of camera_id/frame_id/group_id.');

/** `name` joins the parts with '/', which none of the ids may contain unescaped, so parts cannot collide. */
export function createTaskId(cameraId: string, frameId: string, groupId: string): string {
  const name = [cameraId, frameId, groupId].map((part) => encodeURIComponent(part)).join('/');
  return uuidv5(name, TASK_ID_NAMESPACE);
}
