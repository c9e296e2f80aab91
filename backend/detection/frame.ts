// A decoded picture as every detection step sees it: packed RGB bytes, row after row.

export interface Frame {
  /** width × height × 3 bytes, R G B per pixel. */
  data: Buffer;
  width: number;
  height: number;
}

export function frameByteLength(width: number, height: number): number {
  return width * height * 3;
}
