/**
 * A square to draw a digit on with the mouse, a finger or a pen (pointer events). Strokes are white
 * ink on a transparent canvas; the ink (alpha) is handed out when a stroke ends.
 */
import { useEffect, useRef } from 'react';

/** Canvas pixels per side: ten times MNIST's 28, so a 2-px stroke is thin and a 20-px one is a pen. */
export const DRAW_SIZE = 280;
const BRUSH = 22;

/** The canvas's ink (alpha 0..1), DRAW_SIZE × DRAW_SIZE, row-major. */
function inkOf(canvas: HTMLCanvasElement): Float32Array {
  const data = canvas.getContext('2d')!.getImageData(0, 0, DRAW_SIZE, DRAW_SIZE).data;
  return Float32Array.from({ length: DRAW_SIZE * DRAW_SIZE }, (_v, i) => data[4 * i + 3]! / 255);
}

export function DrawingCanvas({ onInk, clearSignal }: { onInk: (ink: Float32Array | undefined) => void; clearSignal: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | undefined>(undefined);

  useEffect(() => {
    const c = ref.current;
    c?.getContext('2d')?.clearRect(0, 0, DRAW_SIZE, DRAW_SIZE);
  }, [clearSignal]);

  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * DRAW_SIZE, y: ((e.clientY - r.top) / r.height) * DRAW_SIZE };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = ref.current!.getContext('2d')!;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };

  return (
    <canvas
      ref={ref}
      className="draw-canvas"
      width={DRAW_SIZE}
      height={DRAW_SIZE}
      role="img"
      aria-label="Drawing area: draw a digit with the mouse, a finger or a pen"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        const p = at(e);
        last.current = p;
        line(p, p);
      }}
      onPointerMove={(e) => {
        if (!last.current) return;
        const p = at(e);
        line(last.current, p);
        last.current = p;
      }}
      onPointerUp={(e) => {
        if (!last.current) return;
        last.current = undefined;
        onInk(inkOf(e.currentTarget));
      }}
      onPointerCancel={() => (last.current = undefined)}
    />
  );
}
