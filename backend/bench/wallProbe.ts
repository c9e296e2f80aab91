// What the camera wall bench measures inside the page, for one phase: the time between animation frames (what an
// operator sees as smoothness), long tasks, and which tiles repainted while on or off screen. It runs in Chromium,
// so it is page script in a string (the backend is type-checked without the DOM).

export interface WallProbeOptions {
  durationMs: number;
  /** Pixels scrolled per animation frame, up and down the wall (0: the view stays still). */
  scrollPxPerFrame: number;
}

export interface WallProbeResult {
  frameIntervalsMs: number[];
  longTasksMs: number[];
  /** Tiles that drew a new frame (`data-frame` changed) while on screen, and while off it. */
  repaintsOnScreen: number;
  repaintsOffScreen: number;
  elapsedMs: number;
  heapBytes: number | null;
}

const PROBE_SOURCE = String.raw`async ({ durationMs, scrollPxPerFrame }) => {
  const longTasksMs = [];
  const longTasks = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasksMs.push(entry.duration); });
  longTasks.observe({ type: 'longtask' });
  let repaintsOnScreen = 0;
  let repaintsOffScreen = 0;
  const repaints = new MutationObserver((records) => {
    for (const record of records) {
      const rect = record.target.getBoundingClientRect();
      if (rect.bottom > 0 && rect.top < innerHeight) repaintsOnScreen++;
      else repaintsOffScreen++;
    }
  });
  repaints.observe(document.body, { attributes: true, attributeFilter: ['data-frame'], subtree: true });
  const scroller = document.scrollingElement;
  const frameIntervalsMs = [];
  let direction = 1;
  const start = performance.now();
  let last = start;
  await new Promise((resolve) => {
    const onFrame = (now) => {
      frameIntervalsMs.push(now - last);
      last = now;
      if (scrollPxPerFrame > 0) {
        const bottom = scroller.scrollHeight - innerHeight;
        if (scroller.scrollTop >= bottom - 1) direction = -1;
        else if (scroller.scrollTop <= 0) direction = 1;
        scroller.scrollTop += direction * scrollPxPerFrame;
      }
      if (now - start < durationMs) requestAnimationFrame(onFrame);
      else resolve();
    };
    requestAnimationFrame(onFrame);
  });
  longTasks.disconnect();
  repaints.disconnect();
  return { frameIntervalsMs: frameIntervalsMs.slice(1), longTasksMs, repaintsOnScreen, repaintsOffScreen, elapsedMs: last - start, heapBytes: performance.memory ? performance.memory.usedJSHeapSize : null };
}`;

/** The expression `page.evaluate` runs for one phase. */
export function wallProbeExpression(options: WallProbeOptions): string {
  return `(${PROBE_SOURCE})(${JSON.stringify(options)})`;
}
