"""Draws the demo's illustration with Pillow, so the demo ships no third-party image."""

import io
import math

from PIL import Image, ImageDraw


def draw_leaves_png(width: int = 1200, height: int = 630) -> bytes:
    """A simple, deterministic illustration of leaves; same bytes on every run."""
    image = Image.new("RGB", (width, height), (238, 244, 236))
    draw = ImageDraw.Draw(image)
    for index in range(7):
        cx = 150 + index * 150
        cy = height // 2 + int(60 * math.sin(index))
        angle = -0.6 + index * 0.2
        points = []
        for step in range(41):
            t = step / 40 * math.pi
            x = math.cos(t) * 220
            y = math.sin(t) * 70 * (1 if step <= 40 else -1)
            points.append((x, y))
        points += [(x, -y) for x, y in reversed(points)]
        rotated = [
            (
                cx + x * math.cos(angle) - y * math.sin(angle),
                cy + x * math.sin(angle) + y * math.cos(angle),
            )
            for x, y in points
        ]
        shade = 90 + index * 12
        draw.polygon(rotated, fill=(40, shade, 60))
        draw.line([rotated[0], rotated[40]], fill=(200, 230, 190), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
