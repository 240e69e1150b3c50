/** Class colours, chosen to read on both the light and the dark surface. */
const CLASS_COLOURS = ['#3b82f6', '#f97316', '#22c55e', '#ec4899', '#a855f7', '#06b6d4', '#eab308', '#ef4444', '#6366f1', '#14b8a6'];

export const classColour = (k: number) => CLASS_COLOURS[((k % CLASS_COLOURS.length) + CLASS_COLOURS.length) % CLASS_COLOURS.length]!;

/** A blue → orange ramp for regression targets, t in 0..1. */
export const valueColour = (t: number) => `hsl(${220 - 190 * Math.min(1, Math.max(0, t))} 80% 55%)`;
