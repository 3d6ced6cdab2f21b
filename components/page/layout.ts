// Panel sizes from the page's width, the same on every chapter (no DOM).

/** A card's padding and border, px. */
export const CARD = 34;
/** Gap between the columns of Framework's `.grid`, px. */
export const GAP = 32;

/** The page width to lay out for: Framework's `width` is 0 before the first layout. */
export function room(width: number): number {
  return Math.max(300, width);
}

/**
 * Inner width of a card in a two-column grid, capped at `max`: one column below 640 px (the card
 * takes the whole width), else half the width less the gap.
 */
export function panelWidth(width: number, max = 420): number {
  const r = room(width);
  return Math.floor(r < 640 ? Math.min(r - CARD, max) : Math.min(max, (r - GAP) / 2 - CARD));
}

/** Inner width of a single card spanning the page, capped at `max`. */
export function fullWidth(width: number, max = 720): number {
  return Math.min(room(width), max) - CARD;
}

/** Inner width of each card in a row of `columns` cards `gap` px apart (a grid of small multiples). */
export function columnWidth(width: number, columns: number, gap = 16): number {
  return Math.floor((room(width) - gap * (columns - 1)) / columns) - CARD;
}
