import { getViewportForBounds, useReactFlow, useStoreApi, type Rect, type Viewport } from "@xyflow/react";
import { useCallback } from "react";

/** The minimap's size on screen (bottom right of the canvas). */
export const MINIMAP_SIZE = { width: 160, height: 110 } as const;
/** React Flow's margin around its panels (`.react-flow__panel`). */
const PANEL_MARGIN = 15;
/** The zoom buttons' column (bottom left): three 26 px buttons with their borders. */
const CONTROLS_SIZE = { width: 28, height: 84 } as const;
/** Room kept between the nodes and the canvas's edges, and between the nodes and a panel. */
const GAP = 24;

/**
 * The viewport that shows every node as large as it can (at most `maxZoom`) with none of them under the
 * minimap (bottom right) or the zoom buttons (bottom left): the nodes fit either above both panels'
 * strip or between their columns, whichever leaves them larger. A tall flow then takes the middle of the
 * canvas at the full height, a wide one the full width above the minimap.
 */
export function fitClearOfPanels(
  bounds: Rect,
  size: { width: number; height: number },
  zoom: { min: number; max: number },
): Viewport {
  const px = (n: number) => `${n}px` as const;
  const above = { top: px(GAP), left: px(GAP), right: px(GAP), bottom: px(MINIMAP_SIZE.height + PANEL_MARGIN + GAP) };
  const between = {
    top: px(GAP),
    bottom: px(GAP),
    left: px(CONTROLS_SIZE.width + PANEL_MARGIN + GAP),
    right: px(MINIMAP_SIZE.width + PANEL_MARGIN + GAP),
  };
  if (size.width <= 0 || size.height <= 0) return { x: 0, y: 0, zoom: 1 };
  const fits = [above, between].map((padding) =>
    getViewportForBounds(bounds, size.width, size.height, zoom.min, zoom.max, padding),
  );
  return fits.reduce((best, fit) => (fit.zoom > best.zoom + 1e-6 ? fit : best));
}

/** Where the minimap and the zoom buttons sit on a canvas of `size`, in screen pixels from its top left. */
export function panelRects(size: { width: number; height: number }): { minimap: Rect; controls: Rect } {
  return {
    minimap: {
      x: size.width - PANEL_MARGIN - MINIMAP_SIZE.width,
      y: size.height - PANEL_MARGIN - MINIMAP_SIZE.height,
      ...MINIMAP_SIZE,
    },
    controls: { x: PANEL_MARGIN, y: size.height - PANEL_MARGIN - CONTROLS_SIZE.height, ...CONTROLS_SIZE },
  };
}

/** Fits the view to every node, clear of the minimap and the zoom buttons (see `fitClearOfPanels`). */
export function useFitClearOfPanels(): (options?: { duration?: number }) => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (options) => {
      const nodes = flow.getNodes();
      if (nodes.length === 0) return;
      const { width, height, minZoom } = store.getState();
      const view = fitClearOfPanels(flow.getNodesBounds(nodes), { width, height }, { min: minZoom, max: 1 });
      void flow.setViewport(view, { duration: options?.duration ?? 0 });
    },
    [flow, store],
  );
}
