#!/usr/bin/env python3
"""Speech round trip: synthesize each sentence with `tutor say` and with espeak-ng, transcribe both with Whisper
(faster-whisper from PyPI over the cache's CTranslate2 models), and report word error rates side by side.

    python3 -m venv /tmp/asr && /tmp/asr/bin/pip install faster-whisper
    /tmp/asr/bin/python Evaluation/speech/roundtrip.py --tutor .build/release/tutor --lang en

English uses Whisper tiny.en, Swahili Whisper base (models/whisper-*/ in the cache). Until the project's own
recognizer lands this is the independent judge; it is a measurement, not a test.
"""
import argparse, json, os, re, subprocess, sys, tempfile, unicodedata

def words(text):
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.findall(r"[a-z0-9']+", text)

def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]

def model_dir(cache, name):
    # faster-whisper wants a config.json next to model.bin; the cache holds only model, tokenizer and vocabulary.
    folder = tempfile.mkdtemp(prefix="whisper-")
    for file in ("model.bin", "tokenizer.json", "vocabulary.txt"):
        os.symlink(os.path.join(cache, "models", name, file), os.path.join(folder, file))
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump({"suppress_ids": [], "suppress_ids_begin": [220, 50256], "lang_ids": [], "alignment_heads": []}, f)
    return folder

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tutor", default=".build/release/tutor")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--voice", default="kind")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--no-peer", action="store_true", help="skip espeak-ng")
    args = parser.parse_args()
    from faster_whisper import WhisperModel
    cache = os.environ.get("VOICETUTOR_CACHE", os.path.expanduser("~/.cache/voicetutor"))
    model = WhisperModel(model_dir(cache, "whisper-tiny.en" if args.lang == "en" else "whisper-base"),
                         device="cpu", compute_type="int8", cpu_threads=1)
    here = os.path.dirname(os.path.abspath(__file__))
    sentences = [l.strip() for l in open(os.path.join(here, f"{args.lang}.txt")) if l.strip() and not l.startswith("#")]
    if args.limit: sentences = sentences[:args.limit]
    work = tempfile.mkdtemp(prefix="roundtrip-")
    totals = {"tutor": [0, 0, 0, 0], "espeak-ng": [0, 0, 0, 0]}
    for index, sentence in enumerate(sentences):
        ours = os.path.join(work, f"ours{index}.wav")
        peer = os.path.join(work, f"espeak{index}.wav")
        subprocess.run([args.tutor, "say", "--lang", args.lang, "--voice", args.voice, "--sample-rate", "16000",
                        sentence, "-o", ours], check=True, capture_output=True)
        if not args.no_peer:
            subprocess.run(["espeak-ng", "-v", args.lang, "-w", peer, sentence], check=True, capture_output=True)
        reference = words(sentence)
        for name, path in (("tutor", ours),) + ((("espeak-ng", peer),) if not args.no_peer else ()):
            segments, _ = model.transcribe(path, language=args.lang, beam_size=5, condition_on_previous_text=False)
            heard = " ".join(s.text for s in segments)
            errors = edit_distance(reference, words(heard))
            totals[name][0] += errors
            totals[name][1] += len(reference)
            # Letters without spaces: fairer where the recognizer splits words differently (Swahili).
            totals[name][2] += edit_distance("".join(reference), "".join(words(heard)))
            totals[name][3] += len("".join(reference))
            if args.show: print(f"{name:9} {errors:2d}/{len(reference):2d}  {sentence}  ->  {heard.strip()}")
    for name, (errors, count, letter_errors, letters) in totals.items():
        if not count: continue
        print(f"{args.lang} {name}: WER {100 * errors / count:.1f}% ({errors} errors / {count} words, "
              f"{len(sentences)} sentences); letter error rate {100 * letter_errors / max(letters, 1):.1f}%")

if __name__ == "__main__":
    main()
