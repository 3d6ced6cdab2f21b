// A plane whose points are coloured by the side their clean version x0 started on (x < 0 or x > 0),
// with a cross at each group's mean: how much of the data's layout survives to t = T.
import {Plane} from "./plane.js";
import {meanOf, splitBySide} from "../math/schedule-compare.js";

export interface SidePlane extends Plane {
  /** Draws `points` (x0 itself, or x_t of the same points) coloured by the side of x0; [n, 2] each. */
  show(x0: Float64Array, points: Float64Array): void;
}

const SVG = "http://www.w3.org/2000/svg";
/** Points from the left in orange, from the right in blue; their crosses a darker shade of each. */
const LEFT = {points: "#d0632f", cross: "#8a2f0c"}, RIGHT = {points: "#4269d0", cross: "#1d3470"};

export function SidePlane({width, label}: {width: number; label: string}): SidePlane {
  const plane = Plane({width, label}) as SidePlane;
  const crosses = [LEFT, RIGHT].map(({cross}) => {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("stroke", cross);
    path.setAttribute("stroke-width", "3");
    plane.overlay.append(path);
    return path;
  });
  plane.show = (x0, points) => {
    const sides = splitBySide(x0, points);
    plane.draw([{points: sides[0], color: LEFT.points}, {points: sides[1], color: RIGHT.points}]);
    sides.forEach((side, k) => {
      const [x, y] = meanOf(side).map((v, i) => (i ? plane.y(v) : plane.x(v)));
      crosses[k].setAttribute("d", Number.isFinite(x + y) ? `M${x - 7},${y}h14M${x},${y - 7}v14` : ""); // an empty side has no mean
    });
  };
  return plane;
}
