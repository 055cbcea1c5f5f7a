import type { ActionRequest } from '../source.js';

/** A one-job confirmation flow (i, r, R): plan shown, `y` applies, results shown. */
export interface ActionFlowUi {
  request: ActionRequest;
  title: string;
  step: 'review' | 'apply' | 'done';
  lines: string[];
  scroll: number;
  blocked: boolean;
  empty: boolean;
  busy?: string;
  ok?: boolean;
}

export function newActionFlow(request: ActionRequest, title: string): ActionFlowUi {
  return { request, title, step: 'review', lines: [], scroll: 0, blocked: false, empty: false, busy: 'planning…' };
}

export function actionKey(flow: ActionFlowUi, key: string, page: number): { flow: ActionFlowUi; effect?: 'apply' | 'close'; message?: string } {
  switch (key) {
    case 'escape':
    case 'enter':
      if (flow.step === 'apply') return { flow, message: 'the plan is being applied; it cannot be stopped half way' };
      if (key === 'enter' && flow.step === 'review') return { flow };
      return { flow, effect: 'close' };
    case 'pagedown':
    case 'down':
      return { flow: { ...flow, scroll: Math.min(Math.max(0, flow.lines.length - 1), flow.scroll + (key === 'down' ? 1 : page)) } };
    case 'pageup':
    case 'up':
      return { flow: { ...flow, scroll: Math.max(0, flow.scroll - (key === 'up' ? 1 : page)) } };
    case 'y':
      if (flow.step !== 'review' || flow.busy) return { flow };
      if (flow.blocked) return { flow, message: 'the plan is blocked: nothing can be applied (Esc)' };
      if (flow.empty) return { flow, message: 'nothing to change' };
      return { flow: { ...flow, step: 'apply', busy: 'applying…', lines: [...flow.lines, '', 'applying:'] }, effect: 'apply' };
    default:
      return { flow };
  }
}
