// Test-only protobuf encoder, so tests can build the cases kubectl never sends (labels,
// generateName, unknown fields of every wire type) without a protobuf library.

export function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return out;
}

export const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);

export const bytes = (...parts: (Uint8Array | number[])[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

export const lengthDelimited = (field: number, payload: Uint8Array | string): Uint8Array => {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return bytes(tag(field, 2), varint(body.length), body);
};

export const message = (field: number, ...parts: Uint8Array[]): Uint8Array => lengthDelimited(field, bytes(...parts));

export const int = (field: number, value: number | bigint): Uint8Array => bytes(tag(field, 0), varint(value));

export const bool = (field: number, value: boolean): Uint8Array => int(field, value ? 1 : 0);

export const mapEntry = (field: number, key: string, value: string | Uint8Array): Uint8Array =>
  message(field, lengthDelimited(1, key), lengthDelimited(2, value));

/** One field of every wire type with a number no Kubernetes message here uses. */
export const unknownFields = (): Uint8Array =>
  bytes(
    int(900, 5),
    tag(901, 1), [1, 2, 3, 4, 5, 6, 7, 8],
    lengthDelimited(902, 'ignored'),
    tag(903, 5), [1, 2, 3, 4],
    tag(904, 3), int(1, 1), tag(905, 3), tag(905, 4), tag(904, 4),
  );

export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra: Uint8Array = new Uint8Array()): Buffer {
  const typeMeta = message(1, lengthDelimited(1, apiVersion), lengthDelimited(2, kind));
  return Buffer.from(bytes(Buffer.from('k8s\0', 'latin1'), typeMeta, lengthDelimited(2, raw), extra));
}
