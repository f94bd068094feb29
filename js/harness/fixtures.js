// The model states the harness mounts, exactly as the kernel sends them: each one made by
// helpers.view.scene from real tensors, none written by hand. tests/browser/harness_scenes.py
// makes them and serves them as scenes.js (run it to open the harness yourself).
// small: d = (a + b) · a with a = 2, b = 3, as the explorer draws it; switched: the same after
// "detach c" (c a ghost, b gone, a no-grad input); stepper, stepperSwitched: their backward
// passes to replay; chain400: a 400-node chain sent without its text alternative.
import { SCENES } from "./scenes.js";

// Each call gives a fresh copy, so that a test changing a state leaves the next one alone.
export const FIXTURES = Object.fromEntries(
  Object.entries(SCENES).map(([name, scene]) => [name, () => structuredClone(scene)]),
);
