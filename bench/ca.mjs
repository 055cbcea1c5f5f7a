// CA generation (issue 7: a root plus three RSA 4096 intermediates under 10 s on 2 cores), with the
// longest event-loop stall while the keys are made (the cockpit's spinner runs on that loop).
const { createRootCa, createIntermediateCa } = await import('../dist/pki/authority.js');

export async function generateCas({ bits = 4096, clusters = ['east', 'west', 'central'] } = {}) {
  let stall = 0;
  let tick = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - tick);
    tick = now;
  }, 10);
  const started = performance.now();
  try {
    const root = await createRootCa({ key: { type: 'rsa', bits } });
    await Promise.all(clusters.map((cluster) => createIntermediateCa(root, { cluster, key: { type: 'rsa', bits } })));
    return { ms: performance.now() - started, stallMs: stall };
  } finally {
    clearInterval(timer);
  }
}
