import { describe, expect, it } from 'vitest';
import { knownState } from './known-state';

const stage = [{ id: 'idle' }, { id: 'active' }, { id: 'blocked' }];

describe('the state named in the machines URL', () => {
  it('keeps a state the machine has', () => {
    expect(knownState('blocked', 'Stage', stage)).toEqual({ state: 'blocked', problem: null });
  });

  it('says an unknown state in words and shows none', () => {
    expect(knownState('foo', 'Stage', stage)).toEqual({ state: null, problem: "Unknown state 'foo' for the stage machine; known: idle, active, blocked. Showing every state instead." });
  });

  it('chooses nothing while the diagram loads, or when no state is asked', () => {
    expect(knownState('foo', 'Stage', undefined)).toEqual({ state: null, problem: null });
    expect(knownState(null, 'Stage', stage)).toEqual({ state: null, problem: null });
  });
});
