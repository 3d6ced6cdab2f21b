// Driving and reading inputs the way a reader does: setting one, and watching several as one value.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {setControl, watchValues} from "../../components/page/input-events.js";

const input = (value: unknown) => Object.assign(new EventTarget(), {value});

describe("page/input-events", () => {
  it("setControl sets the value and then fires one bubbling input event that sees it", () => {
    const box = input(1);
    const seen: [unknown, boolean][] = [];
    box.addEventListener("input", (e) => seen.push([box.value, e.bubbles]));
    setControl(box, 7);
    assert.equal(box.value, 7);
    assert.deepEqual(seen, [[7, true]]);
  });

  it("watchValues reports all values at once and after each input, and stops when detached", () => {
    const a = input(1), b = input("x");
    const reports: unknown[] = [];
    const detach = watchValues({a, b}, (values) => reports.push(values));
    setControl(a, 2);
    setControl(b, "y");
    detach();
    setControl(a, 3);
    assert.deepEqual(reports, [{a: 1, b: "x"}, {a: 2, b: "x"}, {a: 2, b: "y"}]);
  });
});
