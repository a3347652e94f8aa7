"""The network drawn neuron by neuron, as TensorFlow Playground does.

Every unit is a small square tile: a heatmap of its activation over the input
plane (the same plane as the decision boundary, TILE x TILE points of it).
The links between the units of two layers are lines whose colour is the sign
of the weight (blue positive, orange negative) and whose thickness grows
with its size. What to see:

- zeros initialization: every tile of a layer is the same (the symmetry is
  never broken);
- dead ReLU units: flat tiles, the same colour everywhere (0 for every input);
- large (x10) weights with tanh or sigmoid: saturated tiles, two flat colours
  with a sharp edge between them.

``tile_values`` and ``link_drawing`` compute what is drawn (tests read them);
``NetworkDiagram.draw`` turns it into a PNG with Pillow, without matplotlib,
because a diagram of 6 layers of 32 units has more than 5,000 links.

Shapes: activations [A0, A1, ..., AL], A{l} (n[l], TILE * TILE) on the tile
grid (A0 is the grid itself); W{l} (n[l], n[l-1]).
"""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .figures import CLASS_COLORS, SMALLEST_FONT_PX, png_bytes

TILE = 25  # each tile shows the unit on TILE x TILE points of the plane
SIZE_PX = (520, 320)  # the diagram's width and height in pixels
LARGEST_TILE_PX = 50
LINK_WIDTH_PX = (1, 6)  # the thinnest and the thickest link
NEGATIVE, POSITIVE = np.array([245, 147, 34]), np.array([8, 119, 189])  # orange, blue
WHITE = np.array([255, 255, 255])
RELU_SCALE_PERCENTILE = 95  # a ReLU layer's colour scale: most of its values, not the largest
# a unit's value -> its colour's share of orange (-1) or blue (+1): see tile_colors
SCALES = {"tanh": "fixed", "sigmoid": "fixed", "relu": "layer", "leaky_relu": "layer"}


def on_tile_grid(activations, grid):
    """Activations on a grid x grid plane, thinned to the tiles' TILE x TILE points.

    activations: [A0, ..., AL], A{l} of shape (n[l], grid * grid), grid a multiple of TILE.
    Returns the same list with A{l} of shape (n[l], TILE * TILE).
    """
    step = grid // TILE
    return [
        A.reshape(A.shape[0], grid, grid)[:, ::step, ::step].reshape(A.shape[0], -1)
        for A in activations
    ]


def tile_values(activations, hidden_activation):
    """The tiles of every layer as values in [-1, 1], what the colours show.

    activations: [A0, ..., AL], A{l} of shape (n[l], TILE * TILE).
    Returns a list of arrays, one per layer l = 0..L, of shape (n[l], TILE, TILE):
    the inputs x1, x2 scaled to [-1, 1]; tanh as it is; sigmoid as 2 a - 1;
    ReLU divided by the RELU_SCALE_PERCENTILE-th percentile of its layer's |values|
    (clipped to 1); the output as 2 AL - 1.
    Non-finite values (a diverged network) show as 0.
    """
    L = len(activations) - 1
    tiles = []
    for l, A in enumerate(activations):
        A = np.nan_to_num(np.asarray(A, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
        if l == 0:
            low, high = A.min(axis=1, keepdims=True), A.max(axis=1, keepdims=True)
            values = 2 * (A - low) / np.maximum(high - low, 1e-12) - 1
        elif l == L or hidden_activation == "sigmoid":
            values = 2 * A - 1
        elif SCALES[hidden_activation] == "fixed":
            values = A
        else:
            scale = np.percentile(np.abs(A), RELU_SCALE_PERCENTILE)
            values = A / scale if scale > 0 else A
        tiles.append(np.clip(values, -1, 1).reshape(-1, TILE, TILE))
    return tiles


def tile_colors(values, output=False):
    """RGB colours (..., 3) uint8 for values in [-1, 1]: orange - white - blue.

    output: use the decision boundary's colours instead (red - white - blue).
    """
    negative, positive = NEGATIVE, POSITIVE
    if output:
        negative, positive = (np.array(_rgb(c)) for c in CLASS_COLORS)
    v = values[..., None]
    colors = np.where(v < 0, WHITE + (negative - WHITE) * -v, WHITE + (positive - WHITE) * v)
    return colors.astype(np.uint8)


def node_boxes(layer_dims, size=SIZE_PX):
    """Where each tile goes: a list per layer of (x0, y0, side) in pixels, top left first.

    A layer's tiles are as large as its column's height allows, up to LARGEST_TILE_PX.
    """
    width, height = size
    top, bottom, side_margin = 8, SMALLEST_FONT_PX + 14, 30
    room = height - top - bottom
    columns = len(layer_dims)
    step_x = (width - 2 * side_margin - LARGEST_TILE_PX) / max(columns - 1, 1)
    boxes = []
    for l, n in enumerate(layer_dims):
        pitch = room / n  # the height each tile gets, gap included
        side = int(min(LARGEST_TILE_PX, max(pitch * 0.8, 3)))
        pitch = min(pitch, side * 1.6)
        x0 = int(side_margin + l * step_x + (LARGEST_TILE_PX - side) / 2)
        y_start = top + (room - pitch * (n - 1) - side) / 2
        boxes.append([(x0, int(y_start + k * pitch), side) for k in range(n)])
    return boxes


def link_drawing(parameters, boxes):
    """Every link as (x0, y0, x1, y1, width, rgb): from a unit's right edge to the next's left.

    parameters: W{l} of shape (n[l], n[l-1]) for l = 1..L.
    The width grows with |W{l}[i, j]| relative to the largest |W| of that layer
    (so every layer shows its own pattern), and the colour fades to light grey
    for small weights: blue for positive, orange for negative, grey for 0. The thin links
    come first, so that the thick ones are drawn over them.
    """
    thin, thickest = LINK_WIDTH_PX
    links = []
    for l in range(1, len(boxes)):
        # many links between two wide layers: thinner ones, or they hide each other
        thick = max(thin, min(thickest, 64 // max(len(boxes[l]), len(boxes[l - 1]))))
        W = np.nan_to_num(np.asarray(parameters[f"W{l}"], dtype=float))
        largest = np.max(np.abs(W))
        share = np.abs(W) / largest if largest > 0 else np.zeros_like(W)  # (n[l], n[l-1])
        start, end = np.array(boxes[l - 1]), np.array(boxes[l])  # (n, 3): x0, y0, side
        x0 = np.broadcast_to(start[:, 0] + start[:, 2], W.shape)
        y0 = np.broadcast_to(start[:, 1] + start[:, 2] // 2, W.shape)
        x1 = np.broadcast_to((end[:, 0])[:, None], W.shape)
        y1 = np.broadcast_to((end[:, 1] + end[:, 2] // 2)[:, None], W.shape)
        towards = np.where((W > 0)[..., None], POSITIVE, NEGATIVE)  # (n[l], n[l-1], 3)
        towards = np.where((W == 0)[..., None], 225, towards)  # a zero weight: light grey
        rgb = (225 + (towards - 225) * (0.25 + 0.75 * share[..., None])).astype(int)
        width = np.rint(thin + (thick - thin) * share).astype(int)
        order = np.argsort(share, axis=None, kind="stable")
        columns = [a.ravel()[order].tolist() for a in (x0, y0, x1, y1, width)]
        colors = [tuple(c) for c in rgb.reshape(-1, 3)[order].tolist()]
        links += list(zip(*columns, colors))
    return links


class NetworkDiagram:
    """The network's units as tiles and its weights as links, rendered to PNG."""

    def __init__(self, size=SIZE_PX):
        self.size = size
        self.font = ImageFont.load_default(size=SMALLEST_FONT_PX)
        self.boxes = None
        self.tiles = None  # the last drawn tile_values, for tests and for the curious
        self.links = None

    def draw(self, activations, parameters, hidden_activation):
        """The diagram as PNG bytes.

        activations: [A0, ..., AL] on the tile grid, A{l} (n[l], TILE * TILE).
        parameters: W{l} (n[l], n[l-1]), l = 1..L.
        """
        layer_dims = [A.shape[0] for A in activations]
        self.boxes = node_boxes(layer_dims, self.size)
        self.tiles = tile_values(activations, hidden_activation)
        self.links = link_drawing(parameters, self.boxes)
        image = Image.new("RGB", self.size, "white")
        pen = ImageDraw.Draw(image)
        for x0, y0, x1, y1, width, color in self.links:
            pen.line((x0, y0, x1, y1), fill=color, width=width)
        pixels = np.array(image)  # (height, width, 3), the tiles go over the links
        last = len(self.tiles) - 1
        for l, (layer_tiles, layer_boxes) in enumerate(zip(self.tiles, self.boxes)):
            side = layer_boxes[0][2]
            nearest = np.arange(side) * TILE // side  # scale TILE -> side, nearest pixel
            # row 0 of a tile is the plane's bottom (x2 lowest): flipped for the picture
            colors = tile_colors(layer_tiles[:, ::-1][:, nearest][:, :, nearest], output=l == last)
            for tile, (x0, y0, _) in zip(colors, layer_boxes):
                pixels[y0 - 1 : y0 + side + 1, x0 - 1 : x0 + side + 1] = (90, 90, 90)  # frame
                pixels[y0 : y0 + side, x0 : x0 + side] = tile
        image = Image.fromarray(pixels)
        pen = ImageDraw.Draw(image)
        self._label(pen, layer_dims)
        return png_bytes(image)

    def _label(self, pen, layer_dims):
        """The column names under the tiles: inputs, layer 1 ... L - 1, output."""
        width, height = self.size
        last = len(layer_dims) - 1
        for l, layer_boxes in enumerate(self.boxes):
            x0, _, side = layer_boxes[0]
            name = "input" if l == 0 else "output" if l == last else f"layer {l}"
            left, _, right, _ = pen.textbbox((0, 0), name, font=self.font)
            x = min(max(x0 + side / 2 - (right - left) / 2, 0), width - (right - left))
            pen.text((x, height - SMALLEST_FONT_PX - 6), name, fill=(30, 30, 30), font=self.font)


def _rgb(color):
    """'#c62828' -> (198, 40, 40)."""
    return tuple(int(color[k : k + 2], 16) for k in (1, 3, 5))
