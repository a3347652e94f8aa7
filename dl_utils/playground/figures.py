"""The playground's two plots: the decision boundary over the data, and the cost curves.

Redrawing a whole matplotlib figure costs tens of milliseconds, most of it in
tick labels that never change. So each figure draws its unchanging part once
(axes, ticks, labels, legend), keeps it as a background image, and for each
frame only pastes the background back and draws what moves: the probability
map (``imshow.set_data``) and the points, or the two cost lines. The
background is drawn again only when the axes' ranges change.

Sizes are in screen pixels (dpi 72: a point is a pixel), with text of at
least ``SMALLEST_FONT_PX`` for the back of a classroom.

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
from matplotlib.ticker import MaxNLocator
from PIL import Image

GRID = 100  # the probability map has GRID x GRID cells
MARGIN = 0.15  # space around the data, as a share of its extent
CLASS_COLORS = ("#c62828", "#1f4fa3")  # class 0 red, class 1 blue
# light red (p = 0) -> white (p = 0.5) -> light blue (p = 1)
BACKGROUND_MAP = LinearSegmentedColormap.from_list("playground", ["#f2a7a0", "#ffffff", "#9db8ea"])
DPI = 72  # one point is one screen pixel
SIZE_PX = (340, 320)  # each plot's width and height in pixels
SMALLEST_FONT_PX = 17  # tick labels and legends; axis labels are larger
LABEL_FONT_PX = 18
COST_COLORS = {"training": "#222222", "test": "#e65100"}


class BlittedFigure:
    """A figure whose background is drawn once and whose moving artists are redrawn fast."""

    def __init__(self, right_px):
        """right_px: the room right of the axes, in pixels (for the last tick label)."""
        width, height = SIZE_PX
        self.figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots()
        # room in pixels for the tick labels and the axis label (left, bottom), the legend (top)
        self.figure.subplots_adjust(
            left=76 / width, right=1 - right_px / width, bottom=54 / height, top=1 - 40 / height
        )
        self.axes.tick_params(labelsize=SMALLEST_FONT_PX)
        self.moving = []  # the artists drawn at every frame, over the background
        self.layout = None  # what the current background was drawn with
        self.background = None

    def _move(self, *artists):
        for artist in artists:
            artist.set_animated(True)  # left out of canvas.draw(): drawn by _frame
            self.moving.append(artist)

    def _frame(self, layout):
        """Paste the background (redrawn if ``layout`` changed), draw the moving artists."""
        if layout != self.layout:
            self._apply(layout)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.layout = layout
        self.canvas.restore_region(self.background)
        for artist in self.moving:
            self.axes.draw_artist(artist)
        for spine in self.axes.spines.values():
            self.axes.draw_artist(spine)
        return png_bytes(self.canvas)

    def _apply(self, layout):
        """Set the axes for ``layout`` before the background is drawn (see subclasses)."""


class BoundaryFigure(BlittedFigure):
    """The network's P(class 1) over the plane, with the training and test points on top."""

    def __init__(self):
        super().__init__(right_px=10)
        ax = self.axes
        ax.set_xlabel("x1", fontsize=LABEL_FONT_PX, labelpad=2)
        ax.set_ylabel("x2", fontsize=LABEL_FONT_PX, labelpad=2)
        self.image = ax.imshow(
            np.full((GRID, GRID), 0.5),
            origin="lower",
            cmap=BACKGROUND_MAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            aspect="auto",
        )
        self.train_points = ax.scatter([], [], s=30, marker="o", edgecolors="black", linewidths=0.6)
        self.test_points = ax.scatter([], [], s=52, marker="^", edgecolors="black", linewidths=0.9)
        # The points' legend sits above the axes, out of the moving picture.
        self.legend = ax.legend(
            handles=[
                Line2D([], [], marker="o", ls="", color="grey", mec="black", label="train"),
                Line2D([], [], marker="^", ls="", color="grey", mec="black", label="test"),
            ],
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
            ncol=2,
            fontsize=SMALLEST_FONT_PX,
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )
        self._move(self.image, self.train_points, self.test_points)
        self.grid_points = None
        self.extent = None

    def show_data(self, X_train, Y_train, X_test, Y_test):
        """Place the points and choose the plane's range around them.

        Returns ``grid_points`` (2, GRID * GRID): where the caller should evaluate
        the network; its output goes to ``draw``.
        """
        both = np.concatenate([X_train, X_test], axis=1)
        low, high = both.min(axis=1), both.max(axis=1)
        pad = MARGIN * np.maximum(high - low, 1e-9)
        low, high = low - pad, high + pad
        self.extent = (low[0], high[0], low[1], high[1])
        self.image.set_extent(self.extent)
        for points, X, Y in (
            (self.train_points, X_train, Y_train),
            (self.test_points, X_test, Y_test),
        ):
            points.set_offsets(X.T)
            points.set_facecolors([CLASS_COLORS[int(y)] for y in Y.ravel()])
        x1, x2 = np.meshgrid(np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID))
        self.grid_points = np.vstack([x1.ravel(), x2.ravel()])
        return self.grid_points

    def draw(self, probabilities):
        """One frame as PNG bytes.

        probabilities: the network's output on ``grid_points``, shape (1, GRID * GRID).
        """
        self.image.set_data(np.asarray(probabilities, dtype=float).reshape(GRID, GRID))
        return self._frame(self.extent)

    def _apply(self, extent):
        self.axes.set_xlim(extent[0], extent[1])
        self.axes.set_ylim(extent[2], extent[3])


class CostFigure(BlittedFigure):
    """The cost on the training set and on the test set, iteration by iteration."""

    def __init__(self):
        super().__init__(right_px=32)
        ax = self.axes
        ax.set_xlabel("iteration", fontsize=LABEL_FONT_PX, labelpad=2)
        ax.set_ylabel("cost", fontsize=LABEL_FONT_PX, labelpad=2)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # room for "20000"
        self.lines = {
            name: ax.plot([], [], color=color, lw=2.2, ls="-" if name == "training" else "--")[0]
            for name, color in COST_COLORS.items()
        }
        # Above the axes, so that no cost line can run over it.
        self.legend = ax.legend(
            [self.lines["training"], self.lines["test"]],
            ["training", "test"],
            loc="lower left",
            bbox_to_anchor=(-0.02, 1.0),
            ncol=2,
            fontsize=SMALLEST_FONT_PX,
            frameon=False,
            handlelength=1.6,
            columnspacing=1.0,
        )
        self._move(*self.lines.values())

    def draw(self, costs, test_costs, max_iterations):
        """One frame as PNG bytes.

        costs, test_costs: lists of (iteration, cost) pairs.
        max_iterations: where the iteration axis ends.
        """
        highest = 0.7
        for name, pairs in (("training", costs), ("test", test_costs)):
            values = [c if math.isfinite(c) else math.nan for _, c in pairs]  # gaps if diverged
            self.lines[name].set_data([i for i, _ in pairs], values)
            highest = max([highest] + [v for v in values if not math.isnan(v)])
        return self._frame((max(max_iterations, 1), cost_axis_top(highest)))

    def _apply(self, layout):
        max_iterations, top = layout
        self.axes.set_xlim(0, max_iterations)
        self.axes.set_ylim(0, top)


def cost_axis_top(highest):
    """The cost axis' top: 0.8 or more, raised in doublings so that it rarely changes."""
    top = 0.8
    while top < highest * 1.05:
        top *= 2
    return top


def png_bytes(canvas):
    """The canvas (or a PIL image) as a 256-color PNG.

    256 colors are plenty for these pictures, and a palette PNG is three times
    smaller and twice as fast to make as a full-color one.
    """
    if isinstance(canvas, Image.Image):
        rgb = canvas.convert("RGB")
    else:
        width, height = canvas.get_width_height()
        rgb = Image.frombuffer(
            "RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        ).convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
