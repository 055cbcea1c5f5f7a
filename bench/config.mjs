// What the full bench and the --quick smoke run measure, and how much time each part may take.
// Full: the sizes of issue 12 on 2 cores in under 10 minutes. Quick: the same figures on tiny clusters,
// one repetition, under a minute (test/bench/quick.test.ts runs it so the harness cannot rot).

export const FULL = {
  mode: 'full',
  budgetMs: 570_000,
  sizes: [
    { clusters: 1, podsPerCluster: 1000, allowanceMs: 45_000 },
    { clusters: 10, podsPerCluster: 5000, allowanceMs: 170_000 },
    // Seeding 200,000 pods alone takes the simulator 1.5 to 4 minutes here: this size runs last, on
    // what is left of the budget, once per measure if that is all that fits.
    { clusters: 20, podsPerCluster: 10000, allowanceMs: Infinity, last: true },
  ],
  reps: 3,
  // The cockpit's memory target (250 MB) is for 10 clusters × 5,000 pods (issue 5).
  memoryTargetSize: '10x5000',
  scroll: { keys: 80, maxMs: 10_000 },
  rows: { clusters: 10, podsPerCluster: 100, barePods: 5000, keys: 120, maxMs: 15_000, filterText: 'row-0421', eventsPerSecond: 10_000, allowanceMs: 90_000 },
  logs: { replicas: 25, linesPerSecond: 400, warmupMs: 5000, windowMs: 4000, reps: 3, viewReps: 2, keys: 60, keyMaxMs: 6000, allowanceMs: 110_000 },
  parse: { lines: 200_000, rounds: 5 },
  ca: { bits: 4096, reps: 3, allowanceMs: 40_000 },
};

export const QUICK = {
  mode: 'quick',
  budgetMs: 50_000,
  sizes: [
    { clusters: 1, podsPerCluster: 40, allowanceMs: 10_000 },
    { clusters: 2, podsPerCluster: 100, allowanceMs: 10_000 },
  ],
  reps: 1,
  memoryTargetSize: undefined,
  scroll: { keys: 8, maxMs: 2000 },
  rows: { clusters: 2, podsPerCluster: 20, barePods: 300, keys: 10, maxMs: 2000, filterText: 'row-0042', eventsPerSecond: 1000, allowanceMs: 12_000 },
  logs: { replicas: 5, linesPerSecond: 50, warmupMs: 1000, windowMs: 1500, reps: 1, viewReps: 1, keys: 5, keyMaxMs: 1500, allowanceMs: 15_000 },
  parse: { lines: 20_000, rounds: 1 },
  ca: { bits: 2048, reps: 1, allowanceMs: 5000 },
};
