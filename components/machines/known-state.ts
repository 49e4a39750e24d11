// `?state=` names a state of the chosen machine; anything else is said in words and the page
// shows as if no state were chosen (as an unknown zone is), never "every instance is in foo".

export interface StateChoice {
  /** The state to show, or null when none (or an unknown one) is chosen. */
  state: string | null;
  /** The sentence for an unknown name; null when the name is known or absent. */
  problem: string | null;
}

export function knownState(asked: string | null, machineLabel: string, states: ReadonlyArray<{ id: string }> | undefined): StateChoice {
  if (!asked) return { state: null, problem: null };
  // Until the diagram is loaded the name cannot be judged; nothing is listed meanwhile.
  if (!states) return { state: null, problem: null };
  if (states.some((s) => s.id === asked)) return { state: asked, problem: null };
  return { state: null, problem: `Unknown state '${asked}' for the ${machineLabel.toLowerCase()} machine; known: ${states.map((s) => s.id).join(', ')}. Showing every state instead.` };
}
