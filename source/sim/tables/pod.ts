// Pod columns, with READY/STATUS/RESTARTS derived the way kubernetes printPod does, so a
// simulated pod reads exactly like a real one (Init:0/1, CrashLoopBackOff, Terminating, ...).
import type { JsonObject, KubeObject } from '../objects.js';
import { AGE_COLUMN, NAME_COLUMN, column, wide, type Printer } from './columns.js';
import { at, int, obj, objects, str } from './fields.js';
import { parseTime, since } from './format.js';

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

function latest(current: number | undefined, candidate: number | undefined): number | undefined {
  if (candidate === undefined) return current;
  return current === undefined || candidate > current ? candidate : current;
}

function lastFinishedAt(containerStatus: JsonObject): number | undefined {
  return parseTime(at(containerStatus, 'lastState', 'terminated', 'finishedAt'));
}

function hasCondition(status: JsonObject, type: string): boolean {
  return objects(status.conditions).some((c) => c.type === type && c.status === 'True');
}

/** Why a terminated container stopped, when it gave no reason. */
function exitText(terminated: JsonObject, prefix: string): string {
  const signal = int(terminated.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

export function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const spec = obj(pod.spec) ?? {};
  const status = obj(pod.status) ?? {};
  const initContainers = objects(spec.initContainers);
  // A pod the real API server has stored always has a phase: creation sets Pending.
  const phase = str(status.phase) || 'Pending';
  let reason = str(status.reason) || phase;
  if (objects(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  // Sidecars (restartable init containers) count as regular containers for READY.
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  const total = objects(spec.containers).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = objects(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const isSidecar = sidecars.has(str(cs.name));
    restarts += int(cs.restartCount);
    lastRestart = latest(lastRestart, lastFinishedAt(cs));
    if (isSidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = latest(lastSidecarRestart, lastFinishedAt(cs));
    }
    const terminated = obj(at(cs, 'state', 'terminated'));
    const waiting = obj(at(cs, 'state', 'waiting'));
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = str(terminated.reason) ? `Init:${str(terminated.reason)}` : exitText(terminated, 'Init:');
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, 'Initialized')) {
    // Failed init attempts no longer matter once the pod is past initialization.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objects(status.containerStatuses);
    // Walk backwards so the first container's state wins, as kubectl users expect.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += int(cs.restartCount);
      lastRestart = latest(lastRestart, lastFinishedAt(cs));
      const terminated = obj(at(cs, 'state', 'terminated'));
      const waitingReason = str(at(cs, 'state', 'waiting', 'reason'));
      if (waitingReason) reason = waitingReason;
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) reason = exitText(terminated, '');
      else if (cs.ready === true && obj(at(cs, 'state', 'running'))) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart !== undefined ? `${restarts} (${since(lastRestart, now)} ago)` : `${restarts}`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function readinessGates(spec: JsonObject, status: JsonObject): string {
  const gates = objects(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = objects(status.conditions);
  const passing = gates.filter((gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True');
  return `${passing.length}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    wide('IP', 'IP address allocated to the pod.'),
    wide('Node', 'The node the pod is scheduled onto.'),
    wide('Nominated Node', 'The node the scheduler nominated while preempting.'),
    wide('Readiness Gates', 'Readiness gates that are passing, of those the pod declares.'),
  ],
  cells(pod, now) {
    const spec = obj(pod.spec) ?? {};
    const status = obj(pod.status) ?? {};
    const summary = summarizePod(pod, now);
    // The server's internal form fills podIPs from podIP when only the latter was written.
    const ip = str(objects(status.podIPs)[0]?.ip) || str(status.podIP) || '<none>';
    return [
      pod.metadata.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      since(pod.metadata.creationTimestamp, now),
      ip,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(spec, status),
    ];
  },
  conditions(pod) {
    const phase = str(at(pod, 'status', 'phase'));
    if (phase === 'Succeeded') return [completed('Succeeded', 'The pod has completed successfully.')];
    if (phase === 'Failed') return [completed('Failed', 'The pod failed.')];
    return undefined;
  },
};

function completed(reason: string, message: string): JsonObject {
  return { type: 'Completed', status: 'True', reason, message };
}
