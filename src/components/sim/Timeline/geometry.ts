/** Sizes shared by the server-rendered frame and the canvas, so the frame is final before drawing. */

/** Room for a label of two short lines beside each lane. */
export const LANE_HEIGHT = 32;
export const AXIS_HEIGHT = 28;
/** More lanes than this scroll inside the timeline rather than make it taller. */
export const MAX_VISIBLE_LANES = 12;

/** The canvas: the axis and the lanes on screen at once. */
export const canvasHeight = (lanes: number): number => AXIS_HEIGHT + Math.min(lanes, MAX_VISIBLE_LANES) * LANE_HEIGHT;

/** All the lanes, of which the canvas shows a window. */
export const lanesHeight = (lanes: number): number => AXIS_HEIGHT + lanes * LANE_HEIGHT;
