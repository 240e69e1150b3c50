/**
 * Tells the canvas when the zoom is below FAR_ZOOM, where a node's 12 px text is under 4 px and cannot
 * be read: the canvas then draws its nodes as plain cards in their category's colour (the class
 * `zoomed-out`, canvas.css), which a software rasterizer paints several times faster than their text,
 * ports and shadows. Their size and ports' positions stay as they were (only what is drawn changes),
 * so React Flow measures nothing anew and the edges keep their ends. The node keeps its accessible
 * name; zooming in (or Tab, which brings a node into view) brings the details back.
 */
import { useStore } from '@xyflow/react';
import { useEffect } from 'react';

/** Below this zoom the canvas draws nodes as plain cards. */
export const FAR_ZOOM = 0.35;

/** Rendered inside <ReactFlow> (it reads React Flow's store): calls `onChange` when the zoom crosses FAR_ZOOM. */
export function ZoomedOut({ onChange }: { onChange: (far: boolean) => void }) {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  useEffect(() => onChange(far), [far, onChange]);
  return null;
}
