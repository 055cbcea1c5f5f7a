import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject, KubeObject } from '../objects.js';
import { isJsonObject } from '../objects.js';
import { decodeProtobufObject } from '../proto/decode-object.js';
import { ApiError, badRequest } from './status.js';

// etcd's default request limit; the API server rejects larger bodies the same way.
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes a create/update body: JSON, or the protobuf some kubectl commands send. */
export function decodeObjectBody(req: IncomingMessage, body: Buffer): KubeObject {
  const type = mediaType(req);
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeProtobufObject(body);
    } catch (error) {
      throw new ApiError(415, 'UnsupportedMediaType', (error as Error).message);
    }
  }
  // client-go's scale client sends PUT with no Content-Type at all; JSON is the only sensible reading.
  if (type !== '' && type !== 'application/json' && type !== 'application/yaml' && !type.endsWith('+json')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw badRequest('Object \'Kind\' is missing in the request body');
  if (!isJsonObject(parsed['metadata'])) parsed['metadata'] = {};
  return parsed as KubeObject;
}

export function sendJson(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.code, error.toStatus(), error.headers);
}

export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(String(req.headers['accept'] ?? ''));
}

export function parseBoolean(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export function parseNonNegativeInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`invalid ${name}: ${JSON.stringify(raw)}`);
  return value;
}

/**
 * `limit` and `timeoutSeconds` as kube-apiserver decodes them (Go's strconv.ParseInt): present but not an
 * integer, even empty, is a 400 in its words; a negative value counts as not given.
 */
export function parseListInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^[+-]?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const value = Number(raw);
  return value < 0 ? undefined : value;
}
