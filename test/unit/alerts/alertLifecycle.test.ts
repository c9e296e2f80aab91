// The lifecycle: new → acknowledged → resolved or false alarm, snooze from an open state, comments always.
import { describe, expect, it } from 'vitest';
import { nextState } from '../../../backend/alerts/alertLifecycle.js';
import { ALERT_ACTIONS, ALERT_STATES } from '../../../backend/contracts/index.js';

describe('alerts > lifecycle', () => {
  it('allows exactly the transitions of the lifecycle', () => {
    const table = Object.fromEntries(ALERT_STATES.map((state) => [state, Object.fromEntries(ALERT_ACTIONS.map((action) => [action, nextState(state, action)]))]));
    expect(table).toEqual({
      new: { acknowledge: 'acknowledged', snooze: 'snoozed', resolve: 'resolved', false_alarm: 'false_alarm', comment: 'new' },
      acknowledged: { acknowledge: null, snooze: 'snoozed', resolve: 'resolved', false_alarm: 'false_alarm', comment: 'acknowledged' },
      snoozed: { acknowledge: 'acknowledged', snooze: null, resolve: 'resolved', false_alarm: 'false_alarm', comment: 'snoozed' },
      resolved: { acknowledge: null, snooze: null, resolve: null, false_alarm: null, comment: 'resolved' },
      false_alarm: { acknowledge: null, snooze: null, resolve: null, false_alarm: null, comment: 'false_alarm' },
    });
  });
});
