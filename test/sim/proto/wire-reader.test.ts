import { describe, expect, it } from 'vitest';
import { FieldSet } from '../../../source/sim/proto/field-set.js';
import { ProtobufError } from '../../../source/sim/proto/protobuf-error.js';
import { WireReader, WireType } from '../../../source/sim/proto/wire-reader.js';
import { bool, bytes, int, lengthDelimited, mapEntry, message, tag, unknownFields, varint } from './wire-writer.js';

const reader = (...values: number[]) => new WireReader(Uint8Array.from(values));

describe('WireReader varints', () => {
  it.each([
    { encoded: [0x00], value: 0n },
    { encoded: [0x01], value: 1n },
    { encoded: [0x7f], value: 127n },
    { encoded: [0x80, 0x01], value: 128n },
    { encoded: [0xac, 0x02], value: 300n },
    { encoded: [0xd8, 0x04], value: 600n },
    { encoded: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], value: 2n ** 64n - 1n },
  ])('reads $value', ({ encoded, value }) => {
    const r = reader(...encoded);
    expect(r.readVarint()).toBe(value);
    expect(r.atEnd()).toBe(true);
  });

  it('reads negative int64 values from their 10-byte two\'s complement form', () => {
    expect(reader(...varint(-1)).readInt64()).toBe(-1);
    expect(reader(...varint(-600)).readInt64()).toBe(-600);
    expect(reader(...varint(3600)).readInt64()).toBe(3600);
  });

  it('refuses an int64 that would lose precision as a JS number', () => {
    expect(() => reader(...varint(2n ** 60n)).readInt64()).toThrow(ProtobufError);
  });

  it.each([
    { name: 'a truncated varint', encoded: [0x80] },
    { name: 'an empty buffer', encoded: [] },
    { name: 'an 11-byte varint', encoded: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] },
    { name: 'a 10th byte with more than one bit', encoded: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02] },
  ])('rejects $name', ({ encoded }) => {
    expect(() => reader(...encoded).readVarint()).toThrow(ProtobufError);
  });

  it('reads booleans', () => {
    expect(reader(0).readBool()).toBe(false);
    expect(reader(1).readBool()).toBe(true);
  });
});

describe('WireReader tags and length-delimited values', () => {
  it('splits a tag into field number and wire type', () => {
    expect(reader(0x0a).readTag()).toEqual({ field: 1, wireType: WireType.LengthDelimited });
    expect(reader(0x20).readTag()).toEqual({ field: 4, wireType: WireType.Varint });
    expect(reader(...tag(12345, 5)).readTag()).toEqual({ field: 12345, wireType: WireType.Fixed32 });
  });

  it.each([
    { name: 'field number 0', encoded: [0x02] },
    { name: 'wire type 6', encoded: [0x0e] },
    { name: 'wire type 7', encoded: [0x0f] },
  ])('rejects $name', ({ encoded }) => {
    expect(() => reader(...encoded).readTag()).toThrow(ProtobufError);
  });

  it('returns the payload as a view and moves past it', () => {
    const r = reader(0x03, 0x61, 0x62, 0x63, 0x07);
    expect(Buffer.from(r.readLengthDelimited()).toString()).toBe('abc');
    expect(r.offset).toBe(4);
    expect(r.readVarint()).toBe(7n);
  });

  it('rejects a length that runs past the end', () => {
    expect(() => reader(0x05, 0x61).readLengthDelimited()).toThrow(/runs past the end/);
  });

  it('respects a sub-range of the buffer', () => {
    const r = new WireReader(Uint8Array.from([0xff, 0x01, 0x02, 0xff]), 1, 3);
    expect(r.readVarint()).toBe(1n);
    expect(r.readVarint()).toBe(2n);
    expect(r.atEnd()).toBe(true);
    expect(() => r.readVarint()).toThrow(ProtobufError);
  });
});

describe('WireReader.skip', () => {
  it.each([
    { name: 'varint', encoded: [...int(3, 300)] },
    { name: 'fixed64', encoded: [...tag(3, 1), 1, 2, 3, 4, 5, 6, 7, 8] },
    { name: 'length-delimited', encoded: [...lengthDelimited(3, 'hello')] },
    { name: 'fixed32', encoded: [...tag(3, 5), 1, 2, 3, 4] },
    { name: 'group with nested group', encoded: [...tag(3, 3), ...int(1, 1), ...tag(2, 3), ...tag(2, 4), ...tag(3, 4)] },
  ])('steps over a $name field', ({ encoded }) => {
    const r = new WireReader(Uint8Array.from([...encoded, 0x2a]));
    r.skip(r.readTag());
    expect(r.readVarint()).toBe(42n);
    expect(r.atEnd()).toBe(true);
  });

  it.each([
    { name: 'a truncated fixed64', encoded: [...tag(3, 1), 1, 2] },
    { name: 'a truncated fixed32', encoded: [...tag(3, 5), 1] },
    { name: 'a group that is never closed', encoded: [...tag(3, 3), ...int(1, 1)] },
    { name: 'a group closed with another number', encoded: [...tag(3, 3), ...tag(4, 4)] },
    { name: 'a stray end-group', encoded: [...tag(3, 4)] },
  ])('rejects $name', ({ encoded }) => {
    const r = new WireReader(Uint8Array.from(encoded));
    expect(() => r.skip(r.readTag())).toThrow(ProtobufError);
  });
});

describe('FieldSet', () => {
  it('ignores unknown fields of every wire type between known ones', () => {
    const fields = FieldSet.parse(bytes(lengthDelimited(1, 'a'), unknownFields(), int(2, 7)), 'Test');
    expect(fields.string(1)).toBe('a');
    expect(fields.int(2)).toBe(7);
  });

  it('lets the last occurrence of a singular field win, as protobuf does', () => {
    const fields = FieldSet.parse(bytes(lengthDelimited(1, 'first'), lengthDelimited(1, 'second'), bool(2, true), bool(2, false)), 'Test');
    expect(fields.string(1)).toBe('second');
    expect(fields.strings(1)).toEqual(['first', 'second']);
    expect(fields.bool(2)).toBe(false);
  });

  it('merges an embedded message sent in several pieces', () => {
    const fields = FieldSet.parse(bytes(message(1, lengthDelimited(1, 'x')), message(1, lengthDelimited(2, 'y'))), 'Test');
    const merged = fields.message(1, 'inner');
    expect(merged?.string(1)).toBe('x');
    expect(merged?.string(2)).toBe('y');
  });

  it('reads maps with the last value for a repeated key and keeps __proto__ an ordinary key', () => {
    const fields = FieldSet.parse(bytes(mapEntry(3, 'k', 'old'), mapEntry(3, 'k', 'new'), mapEntry(3, '__proto__', 'p')), 'Test');
    const map = fields.stringMap(3, 'data');
    expect(map).toEqual({ k: 'new', ['__proto__']: 'p' });
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.hasOwn(map, '__proto__')).toBe(true);
  });

  it('renders map<string, bytes> values as base64', () => {
    const fields = FieldSet.parse(mapEntry(2, 'bin', Uint8Array.from([0x62, 0x69, 0x6e, 0x00, 0xff, 0xfe])), 'Test');
    expect(fields.base64Map(2, 'binaryData')).toEqual({ bin: 'YmluAP/+' });
  });

  it('names the message and field when a known field has the wrong wire type', () => {
    const fields = FieldSet.parse(int(1, 5), 'Secret');
    expect(() => fields.string(1)).toThrow('Secret: field 1 has wire type 0, expected 2');
  });

  it('prefixes wire errors with the message they occurred in', () => {
    const outer = FieldSet.parse(lengthDelimited(1, Uint8Array.from([0x0a, 0x09, 0x61])), 'TokenRequest');
    expect(() => outer.message(1, 'spec')).toThrow(/^TokenRequest\.spec: /);
  });
});

describe('FieldSet integers', () => {
  it('reads int64 fields, negative ones included, and refuses unsafe ones', () => {
    const fields = FieldSet.parse(bytes(int(1, 3600), int(2, -5), int(3, 2n ** 62n)), 'TokenRequestSpec');
    expect(fields.int(1)).toBe(3600);
    expect(fields.int(2)).toBe(-5);
    expect(fields.int(9)).toBeUndefined();
    expect(() => fields.int(3)).toThrow(/^TokenRequestSpec: field 3: integer 4611686018427387904 does not fit/);
  });
});
