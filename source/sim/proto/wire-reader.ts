// A cursor over protobuf wire-format bytes. Only the primitives Kubernetes messages need are here;
// everything is bounds-checked because the bytes come straight from an HTTP request body.

import { ProtobufError } from './protobuf-error.js';

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface Tag {
  field: number;
  wireType: WireType;
}

// A varint never needs more than 10 bytes for 64 bits; anything longer is garbage, not a big number.
const MAX_VARINT_BYTES = 10;
// Groups are deprecated and never used by Kubernetes, so deep nesting can only be hostile input.
const MAX_GROUP_DEPTH = 32;

/** Reads varint bits as a signed int64 and refuses values a JS number would round. */
export function int64ToNumber(bits: bigint): number {
  const value = BigInt.asIntN(64, bits);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    // JSON numbers in the simulator are JS numbers; silently rounding would corrupt the value.
    throw new ProtobufError(`integer ${value} does not fit in a JavaScript number`);
  }
  return Number(value);
}

export class WireReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new ProtobufError(`invalid protobuf range ${start}..${end} of ${bytes.length} bytes`);
    }
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  readVarint(): bigint {
    let result = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`truncated varint at byte ${this.pos}`);
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        // The tenth byte may only carry the single remaining bit of a 64-bit value.
        if (i === MAX_VARINT_BYTES - 1 && byte > 1) throw new ProtobufError(`varint overflows 64 bits at byte ${this.pos - 1}`);
        return result;
      }
    }
    throw new ProtobufError(`varint longer than ${MAX_VARINT_BYTES} bytes at byte ${this.pos}`);
  }

  /** int64/int32 fields: negative numbers arrive as 64-bit two's complement. */
  readInt64(): number {
    return int64ToNumber(this.readVarint());
  }

  readBool(): boolean {
    return this.readVarint() !== 0n;
  }

  /** The payload of a length-delimited field, as a view into the same buffer (no copy). */
  readLengthDelimited(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.end - this.pos)) {
      throw new ProtobufError(`length ${length} at byte ${this.pos} runs past the end of the message`);
    }
    return this.take(Number(length));
  }

  readFixed32(): Uint8Array {
    return this.take(4);
  }

  readFixed64(): Uint8Array {
    return this.take(8);
  }

  readTag(): Tag {
    const at = this.pos;
    const tag = this.readVarint();
    if (tag > 0xffffffffn) throw new ProtobufError(`field tag too large at byte ${at}`);
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0) throw new ProtobufError(`field number 0 at byte ${at}`);
    if (wireType > WireType.Fixed32) throw new ProtobufError(`unknown wire type ${wireType} for field ${field} at byte ${at}`);
    return { field, wireType: wireType as WireType };
  }

  /** Steps over the value of a field whose tag was just read, whatever its wire type. */
  skip(tag: Tag, depth = 0): void {
    switch (tag.wireType) {
      case WireType.Varint:
        this.readVarint();
        return;
      case WireType.Fixed64:
        this.take(8);
        return;
      case WireType.LengthDelimited:
        this.readLengthDelimited();
        return;
      case WireType.Fixed32:
        this.take(4);
        return;
      case WireType.StartGroup:
        this.skipGroup(tag.field, depth + 1);
        return;
      case WireType.EndGroup:
        throw new ProtobufError(`unexpected end of group ${tag.field} at byte ${this.pos}`);
    }
  }

  private skipGroup(field: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw new ProtobufError('protobuf groups nested too deeply');
    for (;;) {
      if (this.atEnd()) throw new ProtobufError(`group ${field} is never closed`);
      const inner = this.readTag();
      if (inner.wireType === WireType.EndGroup) {
        if (inner.field !== field) throw new ProtobufError(`group ${field} closed as group ${inner.field}`);
        return;
      }
      this.skip(inner, depth);
    }
  }

  private take(count: number): Uint8Array {
    if (this.end - this.pos < count) {
      throw new ProtobufError(`need ${count} bytes at byte ${this.pos}, only ${this.end - this.pos} left`);
    }
    const view = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return view;
  }
}
