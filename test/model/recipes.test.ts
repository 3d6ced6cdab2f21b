// Every built-in data set has a training recipe the trainer accepts, and the 8 Gaussians' recipe is the
// shipped model's (DEFAULT_CONFIG), so per-set recipes never change what the site ships.
import {describe, it} from "node:test";
import assert from "node:assert/strict";
import {DATASETS} from "../../components/math/datasets.js";
import {checkScheduleSpec} from "../../components/math/schedules.js";
import {validateTrainerConfig} from "../../components/model/trainer-config.js";
import {validateConfig} from "../../components/model/denoiser-config.js";
import {DEFAULT_CONFIG, DEFAULT_SCHEDULE} from "../../components/model/defaults.js";
import {RECIPE_OVERRIDES, describeRecipe, recipeFor} from "../../components/model/recipes.js";

describe("model/recipes", () => {
  it("recipeFor gives every built-in data set a trainer config and schedule that pass the trainer's checks", () => {
    for (const {name} of DATASETS) {
      const {config, schedule} = recipeFor(name);
      assert.doesNotThrow(() => validateTrainerConfig(config), name);
      assert.doesNotThrow(() => validateConfig({...config.model, d: 2, T: schedule.T}), name);
      assert.deepEqual(checkScheduleSpec(schedule), schedule, name);
    }
  });

  it("RECIPE_OVERRIDES names exactly the built-in data sets", () => {
    assert.deepEqual(Object.keys(RECIPE_OVERRIDES).sort(), DATASETS.map((d) => d.name).sort());
  });

  it("the 8 Gaussians (the shipped model's data) and a drawing get exactly DEFAULT_CONFIG on DEFAULT_SCHEDULE", () => {
    for (const name of ["ring", "draw"]) {
      assert.deepEqual(recipeFor(name), {config: DEFAULT_CONFIG, schedule: DEFAULT_SCHEDULE}, name);
      assert.equal(describeRecipe(name), "", name);
    }
  });

  it("a recipe is a fresh copy: changing it leaves DEFAULT_CONFIG alone", () => {
    const {config} = recipeFor("spiral");
    config.model.width = 7;
    config.lr = 1;
    assert.notEqual(DEFAULT_CONFIG.model.width, 7);
    assert.notEqual(DEFAULT_CONFIG.lr, 1);
  });

  it("describeRecipe names every field a recipe overrides, with its value", () => {
    for (const {name} of DATASETS) {
      const {model = {}, ...rest} = RECIPE_OVERRIDES[name];
      const line = describeRecipe(name);
      assert.equal(line.split(", ").filter(Boolean).length, Object.keys(model).length + Object.keys(rest).length, `${name}: ${line}`);
    }
  });
});
