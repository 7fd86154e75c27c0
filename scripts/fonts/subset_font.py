"""Subset a CFF OpenType font to a list of characters and rename it (scripts/fonts/build-common-fonts.ts).

Usage: subset_font.py SOURCE CHARS_FILE OUTPUT FAMILY POSTSCRIPT_NAME

The source's licence (SIL OFL 1.1) reserves its font name, so a modified version, which a subset is,
carries another name: every name record, the CFF font names and those of its FDArray are replaced;
the copyright and licence records are kept.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

source, chars_file, output, family, ps_name = sys.argv[1:6]
with open(chars_file, encoding="utf-8") as f:
    text = f.read()

options = subset.Options()
# Every feature stays, but without the closure over them: it would pull in the vertical, other-locale
# and alternate forms of each glyph, which horizontal Simplified Chinese text never uses.
options.layout_features = ["*"]
options.layout_closure = False
# Charstrings without subroutines: pdfkit copies a font's subroutines into every document's subset,
# so a subroutinised font costs time and bytes per document.
options.desubroutinize = True
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.notdef_outline = True
options.recalc_timestamp = False

font = TTFont(source, lazy=False)
subsetter = subset.Subsetter(options=options)
subsetter.populate(text=text)
subsetter.subset(font)

style = font["name"].getDebugName(2) or "Regular"
KEEP = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, maker, designer, URLs, licence
names = font["name"]
names.names = [n for n in names.names if n.nameID in KEEP]
for name_id, value in {
    1: family,
    2: style,
    3: f"{ps_name};subset of {font['head'].fontRevision:.3f}",
    4: f"{family} {style}",
    5: f"Version {font['head'].fontRevision:.3f}",
    6: ps_name,
}.items():
    names.setName(value, name_id, 3, 1, 0x409)
    names.setName(value, name_id, 1, 0, 0)

cff = font["CFF "].cff
cff.fontNames = [ps_name]
top = cff.topDictIndex[0]
top.FullName = f"{family} {style}"
top.FamilyName = family
for fd in getattr(top, "FDArray", []):
    fd.FontName = fd.FontName.replace(fd.FontName.split("-")[0], ps_name.split("-")[0], 1)

font.save(output, reorderTables=True)
