// chapterRef links only chapters whose page is written and refuses routes the site does not have.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {CHAPTERS} from "../../components/page/chapters.js";
import {chapterRef, unwrittenChapters} from "../../components/page/chapter-links.js";

const written = [{path: "/"}, {path: "/forward"}, {path: "/score"}];

describe("chapterRef", () => {
  it("links a written chapter relatively, with its title from CHAPTERS", () => {
    assert.deepEqual(chapterRef(written, "/score"), {path: "/score", title: "Score functions", href: "./score"});
    assert.equal(chapterRef(written, "/").href, "./");
  });

  it("gives no href for a chapter in CHAPTERS whose page is not written", () => {
    assert.deepEqual(chapterRef(written, "/guidance"), {path: "/guidance", title: "Guidance & control", href: null});
  });

  it("throws for a route that is not a chapter", () => {
    assert.throws(() => chapterRef(written, "/sampler"), /no chapter at \/sampler/);
  });
});

describe("unwrittenChapters", () => {
  it("lists the rest of CHAPTERS in reading order", () => {
    const rest = unwrittenChapters(written).map((c) => c.path);
    assert.equal(rest.length, CHAPTERS.length - written.length);
    assert.deepEqual(rest, CHAPTERS.map((c) => c.path).filter((p) => !["/", "/forward", "/score"].includes(p)));
  });
});
