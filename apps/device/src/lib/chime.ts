// The audible cue for a new request: a short two-note chime made with Web Audio (no sound files to ship
// or fetch). Browsers only let a page make sound after the user has interacted with it, so the audio
// context is created on the first gesture and the chime is silently skipped until then.
"use client";

let context: AudioContext | null = null;

/** Call from a user gesture (a click or key press) so later chimes are allowed to play. */
export function unlockAudio(): void {
  if (typeof window === "undefined" || !("AudioContext" in window)) return;
  context ??= new AudioContext();
  if (context.state === "suspended") void context.resume().catch(() => undefined);
}

export function playChime(): void {
  if (!context || context.state !== "running") return;
  const start = context.currentTime + 0.01;
  // E6 then A6: bright enough to notice across a room, short enough not to annoy.
  for (const [offset, frequency] of [
    [0, 1318.5],
    [0.14, 1760],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.18, start + offset + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.32);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.34);
  }
}
