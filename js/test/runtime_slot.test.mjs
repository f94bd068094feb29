// The page's one runtime: the first to provide it wins, and waiting views get it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { provideRuntime, runtimeSlot } from "../src/runtime_slot.js";

test("views waiting for the runtime get the first one provided", async () => {
  delete globalThis.__aglRuntime;
  const waiting = runtimeSlot().ready;
  const first = { name: "first" };
  assert.equal(provideRuntime(first), first);
  assert.equal(provideRuntime({ name: "another kernel's" }), first);
  assert.equal(await waiting, first);
  assert.equal(runtimeSlot().runtime, first);
});
