"""Draw the demo content's photos with Pillow, and list them in the content files.

    .venv/bin/python tools/make_demo_photos.py [content]

Every photo is drawn, never downloaded: a studio backdrop in the category's colour, the goods in
simple shapes chosen by the product's name (shoe, shirt, prayer rug, guitar, wok, mug, ...),
a soft shadow, and an "ILUSTRASI" mark, because they are illustrations, not photographs of the
real goods. Colours and details come from a seed made of the slug, so the same script and
Pillow version draw the same files. Photos are 1200×900 JPEG at quality 80 (a few tens of KB:
the whole set stays a few MB). Product files get `images:` after `unit:`, unit files get
`photo:` after `city:`; files that already name a photo are left as they are.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = (1200, 900)
SCALE = 2  # drawn at twice the size, then reduced: smooth edges
QUALITY = 80
WITHOUT_PHOTO: frozenset[str] = frozenset()  # every demo product has a photo: --strict is clean
EXTRA_VIEWS = {"sepatu-pantofel-kulit-pria": 2, "gitar-akustik-standar": 1,
               "batik-ecoprint-kain-katun": 1, "mug-keramik-sablon": 1}
BACKDROPS = {
    "alas-kaki": (226, 214, 198), "pakaian": (214, 224, 232), "batik-tekstil": (236, 224, 204),
    "perlengkapan-ibadah": (222, 232, 222), "makanan-minuman": (244, 226, 196),
    "hasil-pertanian": (220, 234, 210), "perkakas-dapur": (226, 226, 222),
    "keramik-suvenir": (232, 220, 232), "alat-musik": (236, 226, 212),
    "mebel-kerajinan": (232, 222, 206),
}
Box = tuple[int, int, int, int]
Color = tuple[int, int, int]
Drawer = Callable[[ImageDraw.ImageDraw, random.Random, Color], None]


def seeded(text: str) -> random.Random:
    """A random source that depends on `text` only."""
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


def shade(color: Color, factor: float) -> Color:
    r, g, b = (max(0, min(255, round(c * factor))) for c in color)
    return (r, g, b)


def pick(rng: random.Random, *colors: Color) -> Color:
    return rng.choice(colors)


def s(*values: float) -> list[int]:
    """Coordinates of the 1200×900 picture, on the larger canvas."""
    return [round(v * SCALE) for v in values]


def shoe(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    leather = pick(rng, (30, 24, 22), (92, 52, 30), (60, 36, 24))
    d.polygon(s(300, 600, 330, 470, 450, 420, 620, 430, 760, 500, 900, 540, 930, 600), leather)
    d.rounded_rectangle(s(280, 590, 940, 640), radius=20 * SCALE, fill=(40, 34, 30))
    d.line(s(470, 440, 600, 470), fill=shade(leather, 1.8), width=6 * SCALE)
    d.ellipse(s(420, 430, 560, 470), fill=shade(leather, 0.6))


def sneaker(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    canvas = pick(rng, (40, 70, 120), (150, 40, 40), (50, 50, 50))
    d.polygon(s(300, 590, 330, 450, 470, 400, 640, 430, 780, 500, 910, 560, 920, 600), canvas)
    d.rounded_rectangle(s(280, 580, 940, 650), radius=24 * SCALE, fill=(245, 245, 240))
    for x in range(480, 640, 36):
        d.line(s(x, 430, x + 24, 470), fill=(245, 245, 240), width=5 * SCALE)


def sandal(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    sole = pick(rng, (110, 70, 40), (240, 240, 236), (60, 60, 70))
    for x in (380, 640):
        d.rounded_rectangle(s(x, 250, x + 180, 700), radius=80 * SCALE, fill=sole,
                            outline=shade(sole, 0.7), width=4 * SCALE)
        d.rounded_rectangle(s(x - 10, 380, x + 190, 450), radius=20 * SCALE,
                            fill=shade(color, 0.45))


def shirt(d: ImageDraw.ImageDraw, rng: random.Random, color: Color, long: bool = False,
          collar: bool = False) -> None:
    cloth = pick(rng, (40, 80, 150), (250, 250, 248), (200, 60, 50), (30, 30, 34),
                 (70, 130, 90))
    sleeve = 360 if long else 520
    d.polygon(s(460, 220, 330, 280, 220, sleeve, 330, sleeve + 30, 380, 420, 380, 740, 820, 740,
                820, 420, 870, sleeve + 30, 980, sleeve, 870, 280, 740, 220, 680, 260, 520, 260),
              cloth, outline=shade(cloth, 0.75))
    if collar:
        d.polygon(s(520, 250, 600, 340, 680, 250, 640, 230, 600, 280, 560, 230), shade(cloth, 0.8))
        for y in range(360, 720, 70):
            d.ellipse(s(592, y, 608, y + 16), fill=shade(cloth, 0.6))
    elif rng.random() < 0.7:
        d.ellipse(s(520, 360, 680, 520), fill=pick(rng, (230, 180, 40), (240, 240, 240),
                                                   (180, 30, 30)))


def vest(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    d.polygon(s(440, 220, 360, 300, 380, 740, 820, 740, 840, 300, 760, 220, 660, 360, 540, 360),
              (235, 110, 30))
    d.rectangle(s(380, 600, 820, 640), fill=(250, 240, 200))


def fabric(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    cloth = pick(rng, (238, 226, 200), (220, 200, 170), (200, 215, 200))
    d.polygon(s(260, 200, 940, 180, 960, 700, 240, 720), cloth, outline=shade(cloth, 0.8))
    for _ in range(14):
        x, y, r = rng.randrange(300, 880), rng.randrange(230, 650), rng.randrange(25, 55)
        leaf = pick(rng, (120, 70, 40), (90, 110, 50), (150, 90, 60))
        d.ellipse(s(x - r, y - r / 2, x + r, y + r / 2), fill=leaf)
        d.line(s(x - r, y, x + r, y), fill=shade(leaf, 0.7), width=2 * SCALE)


def tote(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    bag = pick(rng, (200, 170, 120), (180, 140, 90), (226, 210, 180))
    d.arc(s(470, 170, 730, 430), 180, 360, fill=shade(bag, 0.6), width=16 * SCALE)
    d.polygon(s(380, 300, 820, 300, 860, 740, 340, 740), bag)
    for y in range(320, 740, 28):
        d.line(s(360, y, 840, y), fill=shade(bag, 0.85), width=3 * SCALE)


def rug(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    base = pick(rng, (130, 30, 40), (30, 90, 70), (40, 60, 120), (120, 90, 40))
    d.rectangle(s(330, 150, 870, 770), fill=base)
    d.rectangle(s(360, 180, 840, 740), outline=(226, 190, 110), width=10 * SCALE)
    d.pieslice(s(450, 230, 750, 530), 180, 360, fill=shade(base, 1.4))
    d.rectangle(s(450, 380, 750, 690), fill=shade(base, 1.4))


def cap(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    knit = pick(rng, (30, 30, 34), (240, 240, 236), (120, 30, 40))
    d.chord(s(380, 330, 820, 770), 180, 360, fill=knit)
    d.rectangle(s(380, 540, 820, 620), fill=shade(knit, 0.8))
    for x in range(400, 800, 24):
        d.line(s(x, 400, x, 540), fill=shade(knit, 1.3 if knit[0] < 100 else 0.9),
               width=2 * SCALE)


def robe(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    d.polygon(s(600, 160, 900, 760, 300, 760), (248, 246, 240), outline=(210, 205, 195))
    d.ellipse(s(540, 260, 660, 380), fill=(225, 215, 200))
    for x in range(340, 880, 60):
        d.ellipse(s(x, 710, x + 30, 740), fill=(140, 170, 200))


def chips(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    chip = pick(rng, (190, 150, 60), (170, 100, 40), (120, 140, 50))
    d.chord(s(280, 360, 920, 820), 0, 180, fill=(250, 250, 246))
    for _ in range(70):
        x, y = rng.randrange(330, 870), rng.randrange(360, 600)
        points = [(x + rng.randrange(-40, 40), y + rng.randrange(-25, 25)) for _ in range(5)]
        d.polygon(s(*[v for p in points for v in p]), shade(chip, rng.uniform(0.8, 1.2)))
    d.chord(s(280, 500, 920, 820), 0, 180, fill=(250, 250, 246), outline=(210, 210, 205))


def pouch(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    foil = pick(rng, (160, 40, 30), (110, 70, 40), (40, 100, 60))
    d.polygon(s(420, 180, 780, 180, 800, 760, 400, 760), foil)
    d.rectangle(s(420, 180, 780, 230), fill=shade(foil, 0.7))
    d.rounded_rectangle(s(450, 380, 750, 600), radius=24 * SCALE, fill=(250, 244, 226))
    d.rectangle(s(490, 440, 710, 470), fill=shade(foil, 0.8))
    d.rectangle(s(490, 500, 660, 520), fill=shade(foil, 1.2))


def leaves(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    for _ in range(22):
        x, y = rng.randrange(380, 820), rng.randrange(220, 520)
        green = shade((50, 130, 60), rng.uniform(0.8, 1.25))
        d.line(s(600, 740, x, y + 60), fill=(150, 180, 110), width=5 * SCALE)
        d.ellipse(s(x - 70, y - 40, x + 70, y + 60), fill=green)


def ginger(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    for _ in range(11):
        x, y = rng.randrange(360, 800), rng.randrange(400, 640)
        skin = shade((200, 120, 90), rng.uniform(0.85, 1.1))
        d.ellipse(s(x - 80, y - 40, x + 80, y + 40), fill=skin, outline=shade(skin, 0.7))


def wok(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    metal = pick(rng, (120, 122, 126), (90, 92, 96))
    d.rounded_rectangle(s(180, 470, 330, 500), radius=12 * SCALE, fill=(60, 40, 30))
    d.chord(s(300, 300, 900, 700), 0, 180, fill=metal)
    d.ellipse(s(300, 420, 900, 540), fill=shade(metal, 1.4), outline=shade(metal, 0.7))
    d.ellipse(s(880, 460, 960, 500), outline=(60, 40, 30), width=10 * SCALE)


def pot(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    metal = (185, 188, 192)
    d.rectangle(s(380, 330, 820, 720), fill=metal)
    d.ellipse(s(380, 680, 820, 760), fill=shade(metal, 0.85))
    d.ellipse(s(360, 290, 840, 370), fill=shade(metal, 1.15), outline=shade(metal, 0.7))
    d.rounded_rectangle(s(560, 250, 640, 300), radius=10 * SCALE, fill=(40, 40, 40))
    for x in (330, 820):
        d.rounded_rectangle(s(x, 420, x + 50, 450), radius=8 * SCALE, fill=(40, 40, 40))


def board(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    wood = pick(rng, (150, 80, 50), (170, 110, 70))
    d.rounded_rectangle(s(300, 260, 900, 680), radius=40 * SCALE, fill=wood)
    d.ellipse(s(820, 440, 860, 480), fill=shade(color, 1.0))
    for y in range(290, 660, 22):
        d.arc(s(260, y - 40, 1000, y + 40), 190, 350, fill=shade(wood, 0.85), width=2 * SCALE)


def utensils(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    wood = (176, 120, 70)
    for n, x in enumerate((420, 560, 700)):
        d.rounded_rectangle(s(x, 330, x + 40, 760), radius=14 * SCALE, fill=shade(wood, 0.9))
        head = s(x - 40, 150, x + 80, 350)
        (d.ellipse if n == 1 else d.rounded_rectangle)(head, fill=wood)


def mortar(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    stone = (90, 90, 88)
    d.chord(s(300, 360, 900, 760), 0, 180, fill=stone)
    d.ellipse(s(300, 500, 900, 620), fill=shade(stone, 0.7), outline=shade(stone, 1.3))
    d.ellipse(s(420, 520, 780, 600), fill=(190, 50, 30))
    d.line(s(640, 540, 800, 300), fill=shade(stone, 1.2), width=50 * SCALE)


def mug(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    glaze = pick(rng, (250, 250, 246), (30, 60, 110), (200, 60, 50), (240, 240, 232))
    d.ellipse(s(720, 380, 880, 600), outline=glaze, width=30 * SCALE)
    d.rectangle(s(400, 300, 760, 700), fill=glaze)
    d.ellipse(s(400, 660, 760, 740), fill=glaze)
    d.ellipse(s(400, 260, 760, 340), fill=shade(glaze, 0.8))
    d.rounded_rectangle(s(470, 420, 690, 560), radius=20 * SCALE,
                        fill=pick(rng, (20, 90, 150), (200, 150, 30), (150, 30, 40)))


def guitar(d: ImageDraw.ImageDraw, rng: random.Random, color: Color, small: bool = False) -> None:
    wood = pick(rng, (200, 140, 70), (150, 80, 40), (220, 170, 100))
    k = 0.7 if small else 1.0
    body_y = 560

    def circle(x: float, y: float, r: float) -> list[int]:
        return s(x - r * k, y - r * k, x + r * k, y + r * k)

    d.rectangle(s(600 - 18 * k, 120, 600 + 18 * k, body_y - 150 * k), fill=(70, 45, 30))
    d.ellipse(circle(600, body_y - 150 * k, 130), fill=wood)
    d.ellipse(circle(600, body_y + 60 * k, 180), fill=wood)
    d.ellipse(circle(600, body_y - 90 * k, 50), fill=(40, 28, 20))
    d.rectangle(s(560, body_y + 90 * k, 640, body_y + 110 * k), fill=(60, 40, 30))


def box(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    d.polygon(s(420, 230, 720, 230, 800, 180, 500, 180), (190, 140, 90))
    d.polygon(s(720, 230, 800, 180, 800, 690, 720, 740), (140, 100, 60))
    d.rectangle(s(420, 230, 720, 740), fill=(170, 120, 75))
    d.ellipse(s(520, 320, 620, 420), fill=(50, 35, 25))


def chair(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    wood = pick(rng, (120, 70, 40), (200, 170, 100))
    d.rectangle(s(420, 200, 460, 760), fill=wood)
    d.rectangle(s(740, 200, 780, 760), fill=wood)
    d.rectangle(s(420, 200, 780, 260), fill=wood)
    d.rectangle(s(400, 480, 800, 530), fill=shade(wood, 1.2))
    for x in (440, 760):
        d.rectangle(s(x - 20, 530, x + 20, 760), fill=shade(wood, 0.8))


def desk(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    wood = (130, 80, 45)
    d.rectangle(s(250, 380, 950, 430), fill=shade(wood, 1.2))
    d.rectangle(s(280, 430, 520, 740), fill=wood)
    d.rectangle(s(880, 430, 920, 740), fill=shade(wood, 0.8))
    for y in (470, 560, 650):
        d.rectangle(s(300, y, 500, y + 70), outline=shade(wood, 0.6), width=4 * SCALE)


def woven(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    straw = (210, 180, 120)
    d.arc(s(480, 180, 720, 420), 180, 360, fill=(120, 80, 40), width=14 * SCALE)
    d.rectangle(s(380, 300, 820, 740), fill=straw)
    for n in range(0, 440, 40):
        d.line(s(380 + n, 300, 380 + n, 740), fill=shade(straw, 0.8), width=8 * SCALE)
        d.line(s(380, 300 + n, 820, 300 + n), fill=shade(straw, 1.1), width=8 * SCALE)


def ship(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    d.polygon(s(260, 600, 940, 600, 860, 700, 340, 700), (110, 60, 35))
    d.rectangle(s(590, 180, 605, 600), fill=(80, 50, 30))
    d.polygon(s(610, 200, 820, 560, 610, 560), (245, 240, 228))
    d.polygon(s(585, 220, 380, 560, 585, 560), (236, 230, 214))


MOTIFS: list[tuple[str, Drawer]] = [  # the first word found in the slug chooses
    ("sneakers", sneaker), ("sandal", sandal), ("sepatu", shoe), ("kaos", shirt),
    ("rompi", vest), ("koko", lambda d, r, c: shirt(d, r, c, long=True, collar=True)),
    ("wbp", lambda d, r, c: shirt(d, r, c, long=True, collar=True)), ("tas-koja", woven),
    ("tas", tote), ("syal", fabric), ("batik", fabric), ("sajadah", rug), ("peci", cap),
    ("mukena", robe), ("keripik", chips), ("emping", chips), ("bayam", leaves),
    ("jahe-merah-segar", ginger), ("instan", pouch), ("gula", pouch), ("wajan", wok),
    ("dandang", pot), ("talenan", board), ("sutil", utensils), ("cobek", mortar),
    ("mug", mug), ("ukulele", lambda d, r, c: guitar(d, r, c, small=True)), ("gitar", guitar),
    ("cajon", box), ("kursi", chair), ("meja", desk), ("kapal", ship), ("jahe", ginger),
    ("keset", woven), ("kue", pouch), ("gantungan", box),
]


def motif(slug: str) -> Drawer:
    return next(draw for word, draw in MOTIFS if word in slug)


def draw_photo(seed: str, category: str, draw: Drawer) -> Image.Image:
    """One illustration: backdrop, shadow, the goods, and the "ILUSTRASI" mark."""
    rng = seeded(seed)
    backdrop = BACKDROPS.get(category, (230, 226, 220))
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    image = Image.linear_gradient("L").resize((width, height)).point(lambda v: 255 - v // 5)
    image = Image.merge("RGB", [image.point(lambda v, c=c: v * c // 255) for c in backdrop])
    shadow = Image.new("L", (width, height), 0)
    ImageDraw.Draw(shadow).ellipse(s(260, 680, 940, 800), fill=90)
    image.paste((40, 30, 20), mask=shadow.filter(ImageFilter.GaussianBlur(30 * SCALE)))
    draw(ImageDraw.Draw(image), rng, shade(backdrop, 0.6))
    image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if rng.random() < 0.3 else image
    return mark(image.resize(SIZE, Image.Resampling.LANCZOS))


def mark(image: Image.Image) -> Image.Image:
    font = ImageFont.load_default(size=26)
    label = "ILUSTRASI"
    _, top, right, bottom = font.getbbox(label)
    x, y = SIZE[0] - right - 44, SIZE[1] - bottom - 36
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((x - 14, y + top - 10, x + right + 14, y + bottom + 10), radius=8,
                           fill=(28, 26, 23))
    draw.text((x, y), label, font=font, fill=(255, 255, 255))
    return image


def building(d: ImageDraw.ImageDraw, rng: random.Random, color: Color) -> None:
    wall = pick(rng, (236, 230, 214), (220, 226, 230), (240, 226, 200))
    roof = pick(rng, (150, 60, 40), (60, 70, 80), (120, 80, 50))
    d.polygon(s(140, 300, 600, 140, 1060, 300), roof)
    d.rectangle(s(180, 300, 1020, 720), fill=wall)
    for x in range(230, 980, 130):
        d.rectangle(s(x, 360, x + 70, 450), fill=(70, 90, 110))
    d.rectangle(s(500, 520, 700, 720), fill=(60, 60, 64))
    d.rectangle(s(420, 470, 780, 505), fill=(23, 74, 90))
    d.rectangle(s(100, 720, 1100, 760), fill=(150, 150, 146))


def write_photo(image: Image.Image, path: Path) -> None:
    image.save(path, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    print(path)


def add_field(path: Path, after: str, lines: str) -> None:
    """Insert `lines` into the front matter after the line starting with `after`."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"^({after}:.*\n)", lambda m: m.group(1) + lines, text, count=1,
                  flags=re.M)
    path.write_text(text, encoding="utf-8")


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---", 1)[0]


def product_photos(content: Path) -> None:
    for path in sorted((content / "products").glob("*/*.md")):
        slug, head = path.stem, front_matter(path)
        if slug in WITHOUT_PHOTO or re.search(r"^images:", head, re.M):
            continue
        category = re.search(r"^category: *(\S+)", head, re.M)
        names = [f"{slug}.jpg", *(f"{slug}-{n + 2}.jpg" for n in range(EXTRA_VIEWS.get(slug, 0)))]
        for n, name in enumerate(names):
            seed = slug if n == 0 else name
            write_photo(draw_photo(seed, category.group(1) if category else "", motif(slug)),
                        path.parent / name)
        add_field(path, "unit", "images:\n" + "".join(f"  - {name}\n" for name in names))


def facility_photos(content: Path) -> None:
    for path in sorted((content / "facilities").glob("*.md")):
        if re.search(r"^photo:", front_matter(path), re.M):
            continue
        write_photo(draw_photo(path.stem, "", building), path.with_suffix(".jpg"))
        add_field(path, "city", f"photo: {path.stem}.jpg\n")


def main(content: Path) -> None:
    product_photos(content)
    facility_photos(content)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "content"))
