/** safetensors files written and read by hand from the format's description, independent of engine/interchange. */
import { strToU8 } from 'fflate';

/** A safetensors file written by hand from the format's description (independent of the engine's writer). */
export function safetensorsByHand(tensors: Record<string, { shape: number[]; values: number[] }>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'test' } };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.values.length * 4] };
    offset += t.values.length * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(strToU8(json), 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    for (const v of t.values) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

/** Each tensor's float32 values, read by hand. */
export function tensorsOf(file: Uint8Array): Record<string, number[]> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, { data_offsets: [number, number] }>;
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    out[name] = [];
    for (let at = t.data_offsets[0]; at < t.data_offsets[1]; at += 4) out[name].push(view.getFloat32(8 + n + at, true));
  }
  return out;
}
