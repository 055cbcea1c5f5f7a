export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
}

export const SYSTEM_MASTERS = 'system:masters';

export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    ...(uid ? { uid } : {}),
  };
}
