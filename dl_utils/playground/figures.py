"""The playground's picture: the decision boundary over the data, and the cost curve.

Redrawing a whole matplotlib figure costs tens of milliseconds, most of it in
tick labels that never change. So ``PlaygroundFigure`` draws the unchanging
part once (axes, ticks, labels), keeps it as a background image, and for each
frame only pastes the background back and draws what moves: the probability
map (``imshow.set_data``), the points on top of it and the cost line. The
background is drawn again only when the axes' ranges change.

Shapes: X_train (2, m_train), Y_train (1, m_train), X_test (2, m_test),
Y_test (1, m_test); ``grid_points`` (2, GRID * GRID); the probability map
(GRID, GRID).
"""

import io
import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

GRID = 100  # the probability map has GRID x GRID cells
MARGIN = 0.15  # space around the data, as a share of its extent
CLASS_COLORS = ("#c62828", "#1f4fa3")  # class 0 red, class 1 blue
# light red (p = 0) -> white (p = 0.5) -> light blue (p = 1)
BACKGROUND_MAP = LinearSegmentedColormap.from_list("playground", ["#f2a7a0", "#ffffff", "#9db8ea"])


class PlaygroundFigure:
    """The boundary (left) and the cost curve (right) in one figure, rendered to PNG."""

    def __init__(self, width=9.0, height=3.9, dpi=90):
        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.boundary_axes, self.cost_axes = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1, 1.25]}
        )
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.2)
        ax = self.boundary_axes
        ax.set_title("decision boundary: the network's P(class 1)")
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        self.image = ax.imshow(
            np.full((GRID, GRID), 0.5),
            origin="lower",
            cmap=BACKGROUND_MAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            aspect="auto",
        )
        self.train_points = ax.scatter([], [], s=26, marker="o", edgecolors="black", linewidths=0.6)
        self.test_points = ax.scatter([], [], s=46, marker="^", edgecolors="black", linewidths=0.9)
        cost = self.cost_axes
        cost.set_title("cost on the training set")
        cost.set_xlabel("iteration")
        cost.grid(alpha=0.3)
        (self.cost_line,) = cost.plot([], [], color="#333333", lw=1.8)
        # The legend of the points sits in the cost panel, out of the moving picture.
        cost.legend(
            handles=[
                Line2D([], [], marker="o", ls="", color="grey", mec="black", label="train points"),
                Line2D([], [], marker="^", ls="", color="grey", mec="black", label="test points"),
            ],
            loc="lower left",
            fontsize=9,
        )
        self.moving = [self.image, self.train_points, self.test_points, self.cost_line]
        for artist in self.moving:
            artist.set_animated(True)
        self.grid_points = None
        self.layout = None  # the ranges the current background was drawn with
        self.background = None

    def show_data(self, X_train, Y_train, X_test, Y_test):
        """Place the points and choose the boundary's range around them.

        Returns ``grid_points`` (2, GRID * GRID): where the caller should evaluate
        the network; its output, reshaped to (GRID, GRID), goes to ``draw``.
        """
        both = np.concatenate([X_train, X_test], axis=1)
        low, high = both.min(axis=1), both.max(axis=1)
        pad = MARGIN * np.maximum(high - low, 1e-9)
        low, high = low - pad, high + pad
        self.extent = (low[0], high[0], low[1], high[1])
        self.image.set_extent(self.extent)
        self.boundary_axes.set_xlim(low[0], high[0])
        self.boundary_axes.set_ylim(low[1], high[1])
        for points, X, Y in (
            (self.train_points, X_train, Y_train),
            (self.test_points, X_test, Y_test),
        ):
            points.set_offsets(X.T)
            points.set_facecolors([CLASS_COLORS[int(y)] for y in Y.ravel()])
        x1, x2 = np.meshgrid(np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID))
        self.grid_points = np.vstack([x1.ravel(), x2.ravel()])
        return self.grid_points

    def draw(self, probabilities, costs, max_iterations):
        """Draw one frame and return it as PNG bytes.

        probabilities: the network's output on ``grid_points``, shape (1, GRID * GRID)
            or (GRID, GRID).
        costs: a list of (iteration, cost) pairs.
        max_iterations: where the cost axis ends.
        """
        self.image.set_data(np.asarray(probabilities, dtype=float).reshape(GRID, GRID))
        iterations = [i for i, _ in costs]
        values = [c if math.isfinite(c) else math.nan for _, c in costs]  # gaps where diverged
        self.cost_line.set_data(iterations, values)
        highest = max((v for v in values if not math.isnan(v)), default=0.7)
        layout = (self.extent, max(max_iterations, 1), self._cost_top(highest))
        if layout != self.layout:
            self._draw_background(layout)
        self.canvas.restore_region(self.background)
        for artist in self.moving:
            artist.axes.draw_artist(artist)
        for spine in self.boundary_axes.spines.values():
            self.boundary_axes.draw_artist(spine)
        return self._png()

    def _cost_top(self, highest):
        """The cost axis' top: 0.8 or more, raised in steps so it rarely changes."""
        top = 0.8
        while top < highest * 1.05:
            top *= 2
        return top

    def _draw_background(self, layout):
        extent, max_iterations, top = layout
        self.cost_axes.set_xlim(0, max_iterations)
        self.cost_axes.set_ylim(0, top)
        self.canvas.draw()  # the animated (moving) artists are left out
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.layout = layout

    def _png(self):
        width, height = self.canvas.get_width_height()
        rgba = Image.frombuffer(
            "RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        # 256 colors are plenty for this picture, and a palette PNG is three times
        # smaller and twice as fast to make as a full-color one.
        palette = rgba.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        palette.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
