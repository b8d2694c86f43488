#!/usr/bin/env python3
"""bench/compare's Sphinx anchor: the charset_table that folds every
Vietnamese letter form (the 12 vowels with and without their tone mark,
circumflex, breve and horn, upper and lower case, and Đ đ: 134) to its ASCII
letter, from Unicode's decompositions. Prints the index settings."""
import unicodedata

TONES = {0x300, 0x301, 0x303, 0x309, 0x323}  # huyền sắc ngã hỏi nặng
SHAPES = {"a": ([], [0x306], [0x302]), "e": ([], [0x302]), "o": ([], [0x302], [0x31B]),
          "u": ([], [0x31B]), "i": ([],), "y": ([],)}


def vietnamese_letters():
    out = {0x110: "d", 0x111: "d"}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        d = unicodedata.normalize("NFD", chr(cp))
        base, marks = d[0].lower(), [ord(c) for c in d[1:]]
        if base not in SHAPES or not marks:
            continue
        tones = [m for m in marks if m in TONES]
        shape = [m for m in marks if m not in TONES]
        if len(tones) <= 1 and shape in SHAPES[base]:
            out[cp] = base
    return out


def main():
    letters = vietnamese_letters()
    assert len(letters) == 134, len(letters)
    table = ["0..9", "A..Z->a..z", "a..z"]
    table += [f"U+{cp:04X}->{a}" for cp, a in sorted(letters.items())]
    print("    charset_table = " + ", \\\n        ".join(table))
    # NFD text: the marks vanish inside the word instead of splitting it
    print("    ignore_chars = U+0300..U+036F")


if __name__ == "__main__":
    main()
