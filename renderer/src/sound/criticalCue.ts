// The audible cue for a critical alert: three short tones made with Web Audio (no sound file to ship). Browsers
// start audio only after the operator has used the page once; until then the cue is silent, never an error.
let context: AudioContext | null = null;

/** Plays the cue; resolves to whether it could sound. */
export async function playCriticalCue(): Promise<boolean> {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') await context.resume();
    if (context.state !== 'running') return false;
    const start = context.currentTime;
    for (let beep = 0; beep < 3; beep++) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, start + beep * 0.25);
      gain.gain.setValueAtTime(0, start + beep * 0.25 + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + beep * 0.25);
      oscillator.stop(start + beep * 0.25 + 0.16);
    }
    return true;
  } catch {
    return false;
  }
}
