const NAMES = ['east', 'west', 'central', 'north', 'south', 'emea', 'apac', 'us-east', 'us-west', 'eu-central'];

/** Short, memorable context names: east, west, central, ..., then cluster-11, cluster-12, ... */
export function clusterName(index: number): string {
  return NAMES[index] ?? `cluster-${index + 1}`;
}
