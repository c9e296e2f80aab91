// The alert lifecycle: which operator action is allowed from which state, and where it leads.
import type { AlertAction, AlertState } from '../contracts/index.js';

const NEXT: Record<AlertAction, { from: readonly AlertState[]; to: AlertState | null }> = {
  acknowledge: { from: ['new', 'snoozed'], to: 'acknowledged' },
  snooze: { from: ['new', 'acknowledged'], to: 'snoozed' },
  resolve: { from: ['new', 'acknowledged', 'snoozed'], to: 'resolved' },
  false_alarm: { from: ['new', 'acknowledged', 'snoozed'], to: 'false_alarm' },
  // A comment may be added at any time, closed alerts included (a shift's handover note); the state stays.
  comment: { from: ['new', 'acknowledged', 'snoozed', 'resolved', 'false_alarm'], to: null },
};

/** The state after `action`, or null when the action is not allowed from `state`. */
export function nextState(state: AlertState, action: AlertAction): AlertState | null {
  const step = NEXT[action];
  if (!step.from.includes(state)) return null;
  return step.to ?? state;
}

export function allowedFrom(action: AlertAction): readonly AlertState[] {
  return NEXT[action].from;
}
