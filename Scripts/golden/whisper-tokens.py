#!/usr/bin/env python3
"""Golden token ids for VoiceTutor's Whisper tokenizer (Tests/RecognitionTests/Golden/whisper-tokens.tsv).

A second, independent GPT-2 byte-level BPE encoder in Python: the `regex` module's real \\p{L} / \\p{N} classes for
GPT-2's pre-tokenizer pattern, the bytes-to-unicode table, and tiktoken's merge rule (ranks are token ids: Whisper
was trained with tiktoken, and Whisper base's tokenizer.json lacks its first merge, `Ġ t`), over the vocabulary of
the cached tokenizer.json files. The Swift tokenizer must produce the same ids for every line. Needs Python 3 with
the `regex` module (Debian: python3-regex).

Run (from the repository root):
  python3 Scripts/golden/whisper-tokens.py ~/.cache/voicetutor/models > Tests/RecognitionTests/Golden/whisper-tokens.tsv
"""
import json
import sys

import regex

PATTERN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

TEXTS = [
    " Hello world",
    " Why does a metal spoon feel colder than a wooden one?",
    " The Moon's gravity pulls on the oceans, so we get two tides a day.",
    "Light travels at 300,000 km/s -- that's 7.5 times around Earth in 1 s!",
    " Kwa nini anga ni la buluu? Mwanga wa jua unatawanywa na hewa.",
    " Nguvu ya mvutano inavuta vitu chini, kama tunda linaloanguka.",
    " Me yasa sama yake da shuɗi?",
    " Ìdí tí omi fi ń hó nígbà tí a bá gbóná rẹ̀?",
    " पानी उबलता क्यों है?",
    " ہوا کیوں چلتی ہے؟",
    "  two  spaces\tand a tab\nnew line  ",
    "they'll we've I'm it'd you're DON'T",
    "9.8 m/s² → 10 N 🍎",
]


def bytes_to_unicode():
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table = {}
    extra = 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def encode(text, vocab, byte_map):
    """tiktoken's rule: a whole-token piece is that token; otherwise merge the adjacent pair whose concatenation has
    the lowest id (leftmost on ties), one pair at a time, until no adjacent pair is a token."""
    ids = []
    for piece in PATTERN.findall(text):
        symbols = [byte_map[b] for b in piece.encode("utf-8")]
        if "".join(symbols) in vocab:
            ids.append(vocab["".join(symbols)])
            continue
        while len(symbols) > 1:
            candidates = [(vocab[symbols[i] + symbols[i + 1]], i) for i in range(len(symbols) - 1)
                          if symbols[i] + symbols[i + 1] in vocab]
            if not candidates:
                break
            _, best = min(candidates)
            symbols[best:best + 2] = [symbols[best] + symbols[best + 1]]
        ids.extend(vocab[s] for s in symbols)
    return ids


def main():
    models = sys.argv[1]
    byte_map = bytes_to_unicode()
    out = sys.stdout
    out.write("# Golden Whisper token ids from Scripts/golden/whisper-tokens.py: <model> <text as JSON> <ids>.\n")
    for model in ["whisper-tiny.en", "whisper-base"]:
        spec = json.load(open(f"{models}/{model}/tokenizer.json", encoding="utf-8"))["model"]
        end_of_text = spec["vocab"]["<|endoftext|>"]
        vocab = {token: rank for token, rank in spec["vocab"].items() if rank < end_of_text}
        for text in TEXTS:
            ids = encode(text, vocab, byte_map)
            out.write("%s\t%s\t%s\n" % (model, json.dumps(text, ensure_ascii=False), " ".join(map(str, ids))))


if __name__ == "__main__":
    main()
