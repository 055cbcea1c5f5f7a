// What the full bench and the --quick smoke run measure. Full: the sizes of issue 12 on 2 cores in
// under 10 minutes: a first pass measures everything once, then repetitions follow while the budget
// lasts (small sizes first), up to `reps`. Quick: the same figures on tiny clusters, once (the budget
// there only bounds a run that hangs); test/bench/quick.test.ts runs it so the harness cannot rot.

export const FULL = {
  mode: 'full',
  budgetMs: 570_000,
  sizes: [
    { clusters: 1, podsPerCluster: 1000 },
    { clusters: 10, podsPerCluster: 5000 },
    // Seeding 200,000 pods takes the simulator 1 to 2 minutes by itself here: this size is measured
    // after the others, and its doctor comparison only if time is left.
    { clusters: 20, podsPerCluster: 10000, last: true },
  ],
  reps: 3,
  // The cockpit's memory target (250 MB) is for 10 clusters × 5,000 pods (issue 5).
  memoryTargetSize: '10x5000',
  scroll: { keys: 80, maxMs: 8000 },
  rows: { clusters: 10, podsPerCluster: 100, barePods: 5000, keys: 120, maxMs: 12_000, filterText: 'row-0421', eventsPerSecond: 10_000, allowanceMs: 75_000 },
  logs: { replicas: 25, linesPerSecond: 400, warmupMs: 3000, windowMs: 4000, viewReps: 2, keys: 60, keyMaxMs: 5000 },
  parse: { lines: 200_000, rounds: 5 },
  ca: { bits: 4096 },
};

export const QUICK = {
  mode: 'quick',
  budgetMs: 150_000,
  sizes: [
    { clusters: 1, podsPerCluster: 40 },
    { clusters: 2, podsPerCluster: 100 },
  ],
  reps: 1,
  memoryTargetSize: undefined,
  scroll: { keys: 8, maxMs: 2000 },
  rows: { clusters: 2, podsPerCluster: 20, barePods: 300, keys: 10, maxMs: 2000, filterText: 'row-0042', eventsPerSecond: 1000, allowanceMs: 40_000 },
  logs: { replicas: 5, linesPerSecond: 50, warmupMs: 1000, windowMs: 1500, viewReps: 1, keys: 5, keyMaxMs: 1500 },
  parse: { lines: 20_000, rounds: 1 },
  ca: { bits: 2048 },
};
