import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { registerSecret } from '../secret-registry.js';

/** Claims of the service-account tokens the simulated API server issues (a subset of the real ones). */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  namespace: string;
  serviceAccount: { name: string; uid: string };
  /** Set on legacy secret-based tokens: the token dies with its secret. */
  secret?: { name: string; uid: string };
  boundObject?: { kind: string; name: string; uid: string };
}

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Signs and checks JWT-shaped tokens (HS256 with a per-cluster key). Real clusters use RS256, but
 * clients treat tokens as opaque strings, and an HMAC keeps one cluster's tokens useless on another.
 */
export class TokenAuthority {
  private readonly key = randomBytes(32);

  issue(claims: Omit<TokenClaims, 'iss' | 'iat'>, now: Date): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sim' }));
    const payload = base64url(JSON.stringify({ iss: ISSUER, iat: Math.floor(now.getTime() / 1000), ...claims }));
    const token = `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
    registerSecret('token', token);
    return token;
  }

  /** The claims of a well-formed, correctly signed, unexpired token; undefined otherwise. */
  verify(token: string, now: Date): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

export const LEGACY_TOKEN_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;
export const DEFAULT_AUDIENCE = ISSUER;
