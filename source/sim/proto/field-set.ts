// A parsed message: every field number with the raw values seen for it. Decoders ask for the
// fields they know by number and type; the rest (unknown or newer fields) is simply never read,
// which is how protobuf stays compatible with senders that know more fields than we do.

import { ProtobufError } from './protobuf-error.js';
import { int64ToNumber, WireReader, WireType, type Tag } from './wire-reader.js';

type RawValue =
  | { wireType: typeof WireType.Varint; value: bigint }
  | { wireType: typeof WireType.Fixed64 | typeof WireType.Fixed32 | typeof WireType.LengthDelimited; value: Uint8Array };

// Go's JSON encoder also replaces invalid UTF-8 with U+FFFD, so lenient decoding matches what
// the same object would have looked like had kubectl sent JSON.
const utf8 = new TextDecoder('utf-8');

export class FieldSet {
  private constructor(
    /** The message name, used only to make error messages point somewhere. */
    readonly context: string,
    private readonly fields: ReadonlyMap<number, readonly RawValue[]>,
  ) {}

  static parse(bytes: Uint8Array, context: string): FieldSet {
    const reader = new WireReader(bytes);
    const fields = new Map<number, RawValue[]>();
    try {
      while (!reader.atEnd()) {
        const tag = reader.readTag();
        const value = readValue(reader, tag);
        if (value === undefined) continue;
        const list = fields.get(tag.field);
        if (list) list.push(value);
        else fields.set(tag.field, [value]);
      }
    } catch (error) {
      if (error instanceof ProtobufError) throw new ProtobufError(`${context}: ${error.message}`);
      throw error;
    }
    return new FieldSet(context, fields);
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  /** Singular string: protobuf says the last occurrence wins. */
  string(field: number): string | undefined {
    const last = this.lengthDelimited(field).at(-1);
    return last === undefined ? undefined : utf8.decode(last);
  }

  strings(field: number): string[] {
    return this.lengthDelimited(field).map((bytes) => utf8.decode(bytes));
  }

  bytes(field: number): Uint8Array | undefined {
    return this.lengthDelimited(field).at(-1);
  }

  /** int32 and int64 share the varint encoding (negatives sign-extended to 64 bits). */
  int(field: number): number | undefined {
    const last = this.varints(field).at(-1);
    if (last === undefined) return undefined;
    try {
      return int64ToNumber(last);
    } catch (error) {
      if (error instanceof ProtobufError) throw new ProtobufError(`${this.context}: field ${field}: ${error.message}`);
      throw error;
    }
  }

  bool(field: number): boolean | undefined {
    const last = this.varints(field).at(-1);
    return last === undefined ? undefined : last !== 0n;
  }

  /**
   * Singular embedded message. A sender may split one message over several occurrences and
   * protobuf merges them; parsing the concatenated bytes gives exactly that merge.
   */
  message(field: number, name: string): FieldSet | undefined {
    const parts = this.lengthDelimited(field);
    if (parts.length === 0) return undefined;
    const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
    return FieldSet.parse(bytes, `${this.context}.${name}`);
  }

  messages(field: number, name: string): FieldSet[] {
    return this.lengthDelimited(field).map((bytes, index) => FieldSet.parse(bytes, `${this.context}.${name}[${index}]`));
  }

  /** map<string, string>: repeated entries {1 key, 2 value}; a repeated key keeps the last value. */
  stringMap(field: number, name: string): Record<string, string> {
    return this.mapOf(field, name, (entry) => entry.string(2) ?? '');
  }

  /** map<string, bytes>, with values as base64 like the JSON form of []byte. */
  base64Map(field: number, name: string): Record<string, string> {
    return this.mapOf(field, name, (entry) => Buffer.from(entry.bytes(2) ?? new Uint8Array()).toString('base64'));
  }

  private mapOf(field: number, name: string, valueOf: (entry: FieldSet) => string): Record<string, string> {
    const entries = new Map<string, string>();
    for (const entry of this.messages(field, name)) entries.set(entry.string(1) ?? '', valueOf(entry));
    // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
    return Object.fromEntries(entries);
  }

  private lengthDelimited(field: number): Uint8Array[] {
    return this.ofType(field, WireType.LengthDelimited).map((raw) => raw.value as Uint8Array);
  }

  private varints(field: number): bigint[] {
    return this.ofType(field, WireType.Varint).map((raw) => raw.value as bigint);
  }

  private ofType(field: number, wireType: WireType): RawValue[] {
    const values = this.fields.get(field) ?? [];
    for (const raw of values) {
      if (raw.wireType !== wireType) {
        throw new ProtobufError(`${this.context}: field ${field} has wire type ${raw.wireType}, expected ${wireType}`);
      }
    }
    return [...values];
  }
}

function readValue(reader: WireReader, tag: Tag): RawValue | undefined {
  switch (tag.wireType) {
    case WireType.Varint:
      return { wireType: tag.wireType, value: reader.readVarint() };
    case WireType.LengthDelimited:
      return { wireType: tag.wireType, value: reader.readLengthDelimited() };
    case WireType.Fixed64:
      return { wireType: tag.wireType, value: reader.readFixed64() };
    case WireType.Fixed32:
      return { wireType: tag.wireType, value: reader.readFixed32() };
    default:
      // Groups carry nothing any Kubernetes type uses; step over them.
      reader.skip(tag);
      return undefined;
  }
}
