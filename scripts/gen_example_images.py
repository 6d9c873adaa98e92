#!/usr/bin/env python3
"""Draws the example site's images (content/static/images/*.png), reproducibly.

Only the standard library: shapes are rasterised by hand and written as PNG with zlib, so the
pictures are ours and the same bytes come out on every run. They are about 1600 px wide so that
the build's resizing into several widths shows, and flat enough to stay small as PNG.

    python3 scripts/gen_example_images.py [OUTPUT_DIR]
"""

import math
import os
import struct
import sys
import zlib


class Canvas:
    """An RGBA raster with the few primitives the pictures need (no anti-aliasing: the build's
    downscaling smooths the edges)."""

    def __init__(self, width, height, fill=(0, 0, 0, 0)):
        self.w, self.h = width, height
        self.px = bytearray(bytes(fill) * (width * height))

    def span(self, y, x0, x1, color):
        """Paints row y from x0 (included) to x1 (excluded), blending by the color's alpha."""
        if y < 0 or y >= self.h:
            return
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        if x1 <= x0:
            return
        r, g, b, a = color
        start, end = (y * self.w + x0) * 4, (y * self.w + x1) * 4
        if a == 255:
            self.px[start:end] = bytes((r, g, b, 255)) * (x1 - x0)
            return
        row = self.px[start:end]
        k = a / 255
        for i in range(0, len(row), 4):
            row[i] = round(row[i] * (1 - k) + r * k)
            row[i + 1] = round(row[i + 1] * (1 - k) + g * k)
            row[i + 2] = round(row[i + 2] * (1 - k) + b * k)
            row[i + 3] = max(row[i + 3], a)
        self.px[start:end] = row

    def rect(self, x0, y0, x1, y1, color):
        for y in range(int(y0), int(y1)):
            self.span(y, x0, x1, color)

    def vgradient(self, y0, y1, top, bottom):
        """Rows from y0 to y1 going from colour `top` to colour `bottom` (opaque)."""
        for y in range(int(y0), int(y1)):
            t = (y - y0) / max(1, y1 - y0 - 1)
            c = tuple(round(top[i] + (bottom[i] - top[i]) * t) for i in range(3)) + (255,)
            self.span(y, 0, self.w, c)

    def ellipse(self, cx, cy, rx, ry, color):
        for y in range(int(cy - ry), int(cy + ry) + 1):
            d = 1 - ((y - cy) / ry) ** 2
            if d >= 0:
                half = rx * math.sqrt(d)
                self.span(y, cx - half, cx + half + 1, color)

    def circle(self, cx, cy, r, color):
        self.ellipse(cx, cy, r, r, color)

    def polygon(self, points, color):
        """Even-odd scanline fill."""
        ys = [p[1] for p in points]
        for y in range(int(min(ys)), int(max(ys)) + 1):
            yc = y + 0.5
            xs = []
            for (xa, ya), (xb, yb) in zip(points, points[1:] + points[:1]):
                if (ya <= yc < yb) or (yb <= yc < ya):
                    xs.append(xa + (yc - ya) * (xb - xa) / (yb - ya))
            xs.sort()
            for i in range(0, len(xs) - 1, 2):
                self.span(y, round(xs[i]), round(xs[i + 1]), color)

    def stroke(self, curve, radius, color, steps=500):
        """Stamps discs of `radius` along a parametric curve t ∈ [0, 1] → (x, y)."""
        for i in range(steps + 1):
            x, y = curve(i / steps)
            self.circle(x, y, radius, color)

    def png(self, path, alpha):
        """Writes the canvas as an 8-bit RGB or RGBA PNG (filter "Up": flat areas and vertical
        gradients compress to almost nothing)."""
        channels = 4 if alpha else 3
        stride = self.w * channels
        raw = bytearray()
        prev = bytearray(stride)
        for y in range(self.h):
            row = self.px[y * self.w * 4:(y + 1) * self.w * 4]
            if not alpha:
                row = bytearray(b for i, b in enumerate(row) if i % 4 != 3)
            raw.append(2)
            raw.extend((row[i] - prev[i]) & 0xFF for i in range(stride))
            prev = row
        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        color_type = 6 if alpha else 2
        header = struct.pack(">IIBBBBB", self.w, self.h, 8, color_type, 0, 0, 0)
        data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        data += chunk(b"IEND", b"")
        with open(path, "wb") as f:
            f.write(data)
        print(f"{path}: {self.w}×{self.h}, {len(data) // 1024} Ko")


def bezier(p0, p1, p2, p3):
    def at(t):
        u = 1 - t
        return tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(p0, p1, p2, p3))
    return at


def ribbon(c, cx, top, scale, color, shade):
    """The pink awareness ribbon: a loop whose two ends cross and fall as tails."""
    s = scale
    left = bezier((cx + 0.55 * s, top + 2.2 * s), (cx - 0.9 * s, top + 0.6 * s), (cx - 0.55 * s, top - 0.35 * s), (cx, top))
    right = bezier((cx, top), (cx + 0.55 * s, top - 0.35 * s), (cx + 0.9 * s, top + 0.6 * s), (cx - 0.55 * s, top + 2.2 * s))
    c.stroke(right, 0.16 * s, shade)
    c.stroke(left, 0.16 * s, color)
    # The cut ends of the tails.
    for x in (cx + 0.55 * s, cx - 0.55 * s):
        y = top + 2.2 * s
        c.polygon([(x - 0.16 * s, y), (x + 0.16 * s, y), (x + 0.16 * s, y + 0.25 * s), (x, y + 0.12 * s),
                   (x - 0.16 * s, y + 0.25 * s)], shade if x > cx else color)


def octobre_rose(path):
    c = Canvas(1600, 900)
    c.vgradient(0, 900, (252, 228, 236), (244, 143, 177))
    for i, (x, y, r) in enumerate([(180, 160, 90), (1380, 220, 140), (1250, 760, 110), (300, 720, 160), (820, 120, 60)]):
        c.circle(x, y, r, (255, 255, 255, 70 + 20 * (i % 3)))
    ribbon(c, 800, 210, 260, (233, 30, 99, 255), (194, 24, 91, 255))
    # Three silhouettes walking on a path: the "marche rose".
    c.rect(0, 800, 1600, 900, (236, 64, 122, 255))
    for x in (1180, 1290, 1400):
        c.circle(x, 610, 34, (136, 14, 79, 255))
        c.polygon([(x - 50, 790), (x - 30, 650), (x + 30, 650), (x + 50, 790)], (136, 14, 79, 255))
    c.png(path, alpha=False)


def landscape(c, horizon):
    """Sky, sun, the hills of the Argens and a field: the background of the outdoor pictures."""
    c.vgradient(0, horizon, (120, 180, 230), (214, 234, 248))
    c.circle(1330, 170, 70, (255, 236, 179, 255))
    hills = [(0, horizon - 60)] + [(x, horizon - 90 - 70 * math.sin(x / 260) - 30 * math.sin(x / 97)) for x in range(0, 1601, 40)]
    c.polygon(hills + [(1600, horizon + 10), (0, horizon + 10)], (129, 161, 112, 255))
    c.vgradient(horizon, c.h, (160, 190, 110), (112, 150, 78))


def pine(c, x, base, h, color):
    c.rect(x - 10, base - h * 0.25, x + 10, base, (93, 64, 55, 255))
    c.ellipse(x, base - h * 0.6, h * 0.42, h * 0.36, color)


def maison_de_sante(path):
    c = Canvas(1600, 1067)
    landscape(c, 620)
    # The building: two wings, a tiled roof, windows, a glass door and the green cross.
    wall, roof, glass = (245, 236, 220, 255), (196, 98, 62, 255), (120, 170, 200, 255)
    c.rect(330, 430, 1010, 820, wall)
    c.polygon([(300, 440), (670, 290), (1040, 440)], roof)
    c.rect(1010, 520, 1330, 820, (236, 224, 204, 255))
    c.rect(995, 500, 1345, 525, (170, 84, 52, 255))
    for row in (480, 640):
        for x in range(380, 960, 130):
            if row == 640 and 600 <= x <= 720:
                continue
            c.rect(x, row, x + 80, row + 100, glass)
            c.rect(x + 38, row, x + 42, row + 100, wall)
    c.rect(610, 660, 730, 820, (90, 140, 170, 255))
    c.rect(668, 660, 672, 820, wall)
    for x in range(1050, 1300, 95):
        c.rect(x, 580, x + 70, 700, glass)
    c.rect(1120, 740, 1240, 790, (255, 255, 255, 255))
    c.rect(1165, 745, 1195, 785, (46, 125, 50, 255))
    c.rect(1140, 755, 1220, 775, (46, 125, 50, 255))
    # Path, olive and pine trees, a bench.
    c.polygon([(610, 820), (730, 820), (900, 1067), (440, 1067)], (222, 206, 178, 255))
    for x, h in ((180, 330), (1450, 380), (1540, 300)):
        pine(c, x, 840, h, (56, 110, 60, 255))
    for x in (120, 1420):
        c.ellipse(x + 60, 930, 110, 70, (128, 148, 100, 255))
        c.rect(x + 52, 930, x + 68, 1010, (110, 86, 62, 255))
    c.rect(960, 880, 1100, 900, (120, 84, 60, 255))
    c.png(path, alpha=False)


def partage(path):
    c = Canvas(1600, 840)
    landscape(c, 560)
    for x, h in ((160, 300), (260, 240), (1380, 330), (1480, 260)):
        pine(c, x, 640, h, (56, 110, 60, 255))
    # A white card with the CPTS's colours, where a network's preview puts the eye.
    c.rect(430, 250, 1170, 590, (255, 255, 255, 255))
    c.rect(430, 250, 1170, 282, (11, 90, 107, 255))
    for i, x in enumerate(range(520, 1100, 150)):
        c.circle(x, 430, 46, ((11, 90, 107, 255), (46, 125, 50, 255), (233, 30, 99, 255), (245, 166, 35, 255))[i % 4])
        if x + 150 < 1100:
            c.rect(x + 46, 426, x + 104, 434, (150, 160, 170, 255))
    c.png(path, alpha=False)


def docteurs_juniors(path):
    """People and a stethoscope on a transparent background (so the build keeps a PNG fallback)."""
    c = Canvas(1600, 1000)
    colors = [(11, 90, 107, 255), (46, 125, 50, 255), (0, 121, 107, 255)]
    for i, x in enumerate((420, 800, 1180)):
        col = colors[i]
        c.circle(x, 330, 110, (255, 224, 189, 255))
        c.ellipse(x, 250, 118, 60, (93, 64, 55, 255))
        c.polygon([(x - 230, 900), (x - 190, 540), (x - 110, 470), (x + 110, 470), (x + 190, 540), (x + 230, 900)], (250, 250, 250, 255))
        c.polygon([(x - 60, 470), (x + 60, 470), (x, 600)], col)
        c.rect(x - 8, 600, x + 8, 900, (200, 200, 200, 255))
    # A stethoscope around the middle one's neck.
    steth = bezier((700, 480), (690, 700), (910, 700), (900, 480))
    c.stroke(steth, 9, (60, 60, 60, 255), steps=300)
    c.circle(800, 690, 30, (120, 120, 120, 255))
    c.circle(800, 690, 18, (200, 200, 200, 255))
    c.png(path, alpha=True)


def stand_octobre_rose(path):
    """A market stand under a pink tent, with leaflets and two people: the Octobre rose stands."""
    c = Canvas(1200, 800)
    landscape(c, 520)
    # The tent: roof, scalloped edge, poles.
    c.polygon([(220, 260), (600, 140), (980, 260)], (233, 30, 99, 255))
    c.rect(220, 260, 980, 300, (240, 98, 146, 255))
    for x in range(220, 980, 76):
        c.ellipse(x + 38, 300, 38, 22, (240, 98, 146, 255))
    for x in (236, 964):
        c.rect(x - 8, 300, x + 8, 700, (120, 120, 120, 255))
    # Two people behind the table.
    for x, col in ((470, (11, 90, 107, 255)), (700, (136, 14, 79, 255))):
        c.circle(x, 380, 44, (255, 224, 189, 255))
        c.ellipse(x, 350, 48, 26, (93, 64, 55, 255))
        c.polygon([(x - 80, 520), (x - 60, 430), (x + 60, 430), (x + 80, 520)], col)
    # The table, leaflets, a small ribbon stand.
    c.rect(300, 520, 900, 560, (255, 255, 255, 255))
    c.rect(310, 560, 890, 700, (252, 228, 236, 255))
    for i, x in enumerate(range(340, 560, 60)):
        c.rect(x, 490 - (i % 2) * 6, x + 44, 522, (255, 255, 255, 255))
        c.rect(x + 6, 498 - (i % 2) * 6, x + 38, 506, (233, 30, 99, 255))
    ribbon(c, 840, 400, 55, (233, 30, 99, 255), (194, 24, 91, 255))
    c.png(path, alpha=False)


def video_autopalpation(path):
    """The poster of a video: a health professional in front of a board showing a breast outline,
    and a large play sign (the video itself is on another site; the page links to it)."""
    c = Canvas(1280, 720)
    c.vgradient(0, 720, (236, 239, 241), (207, 216, 220))
    # The board with a simple outline and three dots: the self-examination gesture.
    c.rect(640, 120, 1160, 560, (255, 255, 255, 255))
    c.ellipse(900, 340, 150, 160, (252, 228, 236, 255))
    for i in range(3):
        a = i * 2.1
        c.circle(900 + 90 * math.cos(a), 340 + 90 * math.sin(a), 16, (233, 30, 99, 255))
    # The professional.
    c.circle(380, 300, 80, (255, 224, 189, 255))
    c.ellipse(380, 250, 86, 44, (62, 39, 35, 255))
    c.polygon([(200, 720), (230, 430), (300, 380), (460, 380), (530, 430), (560, 720)], (250, 250, 250, 255))
    c.polygon([(340, 380), (420, 380), (380, 470)], (11, 90, 107, 255))
    # The play sign.
    c.circle(640, 360, 96, (0, 0, 0, 150))
    c.polygon([(610, 305), (610, 415), (700, 360)], (255, 255, 255, 255))
    c.png(path, alpha=False)


def portrait(path, background, hair, long_hair, top, collar):
    """A drawn head-and-shoulders portrait for a testimony: an illustration, not a photograph
    of anyone."""
    c = Canvas(480, 480)
    c.vgradient(0, 480, background, tuple(max(0, v - 40) for v in background))
    if long_hair:
        c.ellipse(240, 230, 118, 150, hair)
    c.polygon([(60, 480), (80, 390), (150, 340), (330, 340), (400, 390), (420, 480)], top)
    c.polygon([(200, 340), (280, 340), (240, 410)], collar)
    c.rect(215, 280, 265, 345, (240, 205, 170, 255))
    c.ellipse(240, 215, 82, 96, (255, 224, 189, 255))
    c.ellipse(240, 150, 90, 48, hair)
    for x in (210, 270):
        c.circle(x, 215, 8, (62, 39, 35, 255))
    c.stroke(bezier((212, 258), (228, 272), (252, 272), (268, 258)), 4, (170, 80, 70, 255), steps=80)
    c.png(path, alpha=False)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "content", "static", "images")
    os.makedirs(out, exist_ok=True)
    octobre_rose(os.path.join(out, "octobre-rose-2026.png"))
    maison_de_sante(os.path.join(out, "maison-de-sante-des-oliviers.png"))
    partage(os.path.join(out, "partage.png"))
    docteurs_juniors(os.path.join(out, "docteurs-juniors.png"))
    stand_octobre_rose(os.path.join(out, "stand-octobre-rose.png"))
    video_autopalpation(os.path.join(out, "video-autopalpation.png"))
    portrait(os.path.join(out, "temoignage-maelle.png"), (178, 223, 219), (93, 64, 55, 255), True, (250, 250, 250, 255), (0, 121, 107, 255))
    portrait(os.path.join(out, "temoignage-adrien.png"), (197, 202, 233), (62, 39, 35, 255), False, (11, 90, 107, 255), (250, 250, 250, 255))


if __name__ == "__main__":
    main()
