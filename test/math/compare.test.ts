// relativeError is the number /training and /score show beside the learned field: check it against
// values worked out by hand.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {relativeError} from "../../components/math/compare.js";

const f = (...values: number[]) => Float64Array.from(values);

describe("relativeError", () => {
  it("is 0 for the exact field and 1 for a field that is zero everywhere", () => {
    assert.equal(relativeError(f(3, -4, 0.5), f(3, -4, 0.5)), 0);
    assert.equal(relativeError(f(0, 0, 0, 0), f(1, 2, -2, 4)), 1);
  });

  it("matches ‖a − b‖/‖b‖ worked by hand", () => {
    // a − b = (1, −2, 2): ‖·‖ = 3; ‖b‖ = ‖(2, 3, 6)‖ = 7.
    assert.ok(Math.abs(relativeError(f(3, 1, 8), f(2, 3, 6)) - 3 / 7) < 1e-15);
    // Twice the truth is off by the truth itself: 1. Half of it: ½.
    assert.ok(Math.abs(relativeError(f(2, -6), f(1, -3)) - 1) < 1e-15);
    assert.ok(Math.abs(relativeError(f(0.5, -1.5), f(1, -3)) - 0.5) < 1e-15);
  });

  it("pools every entry of a vector field, so one large error counts against the whole field's size", () => {
    // Two 2D vectors (1, 0) and (0, 1); the second is predicted as (0, 2): ‖error‖ = 1, ‖b‖ = √2.
    assert.ok(Math.abs(relativeError(f(1, 0, 0, 2), f(1, 0, 0, 1)) - 1 / Math.SQRT2) < 1e-15);
  });

  it("is the absolute error ‖a‖ when the truth is zero everywhere", () => {
    assert.equal(relativeError(f(3, 4), f(0, 0)), 5);
  });

  it("refuses arrays of different lengths", () => {
    assert.throws(() => relativeError(f(1, 2, 3), f(1, 2)), /relativeError: lengths differ \(3 and 2\)/);
  });
});
