// The keyboard focus in the picture. A node that takes it holds the graph's tab stop, and
// (from the keyboard, not a click) gets a ring and is panned into sight. Through a render the
// focus stays where it was: d3-graphviz drops it from a node it moves, and a refilled panel
// drops it too.
import { clearFocusRing, drawFocusRing } from "./focus_ring.js";
import { titleOf } from "./dom.js";
import { giveStop } from "./roving.js";

// picture: picture.js; busy(): a render is under way; reveal(node): pans the node into sight;
// listen(target, type, fn): a listener removed with the view.
export function followFocus({ picture, busy, reveal, listen }) {
  listen(picture.canvas, "focusin", (event) => {
    const node = event.target.closest?.("g.node");
    if (node && node.getAttribute("tabindex") !== "0") giveStop([...picture.nodes.values()], node);
    if (!node || busy() || !node.matches(":focus-visible")) return; // not on a click
    drawFocusRing(picture, node);
    reveal(node);
  });
  listen(picture.canvas, "focusout", () => clearFocusRing(picture));
}

// Where the focus was when a render started, and putting it back. Uses the inspector's
// panel, id, isOpen and focusTarget().
export class FocusKeeper {
  constructor({ root, picture, inspector }) {
    this.root = root;
    this.picture = picture;
    this.inspector = inspector;
    this.want = null; // {node: id, panel: bool, el} while a render is under way
  }

  // A render starts: a node keeps its tabindex through the morph (keepAccessible), but a node
  // that leaves, or a panel refilled, drops the focus. Remember where it was.
  remember() {
    const active = document.activeElement;
    const focused = this.root.contains(active) ? active : null;
    const focusedNode = focused?.closest?.("g.node");
    const inPanel = !!focused && this.inspector.panel.contains(focused);
    this.want = focused ? {
      node: focusedNode ? titleOf(focusedNode) : inPanel ? this.inspector.id : null,
      panel: inPanel,
      el: focusedNode || inPanel ? null : focused,
    } : null;
  }

  // d3-graphviz puts the new picture's elements in order at once (then tweens them), and a
  // node moved among its siblings loses the focus: give it back now, not only once the morph
  // is over, so the learner's next Tab starts from there.
  keep() {
    const id = this.want?.node;
    const active = document.activeElement;
    if (id == null || this.want.panel || (active && active !== document.body)) return;
    const node = [...(this.picture.svgEl()?.querySelectorAll("g.node") ?? [])].find((g) => titleOf(g) === id);
    node?.focus({ preventScroll: true });
  }

  // The render is over: the focus goes back, unless it was kept or the learner moved on.
  restore() {
    const want = this.want;
    this.want = null;
    const active = document.activeElement;
    if (!want || (active && active !== document.body)) return;
    const panel = want.panel && this.inspector.isOpen ? this.inspector.focusTarget() : null;
    const target = panel || (want.node != null && this.picture.nodes.get(want.node))
      || (want.el?.isConnected ? want.el : this.picture.canvas);
    target.focus({ preventScroll: true });
  }
}
