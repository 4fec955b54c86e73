#!/usr/bin/env python3
"""Golden speech probabilities for Tests/AudioTests/Golden from the reference Silero VAD.

Windowing is the silero-vad package's own (utils_vad.OnnxWrapper as get_speech_timestamps calls it): 512-sample
windows at 16 kHz, each preceded by the previous window's last 64 samples (zeros before the first), the last window
zero-padded to 512, the recurrent state carried from window to window and reset once per file.

Two columns per window:
- onnx: silero_vad.onnx (the package's ONNX model) run by onnxruntime: the published model's behaviour.
- safetensors: the same network computed here in numpy (following the package's tinygrad_model.py) with the weights
  of data/silero_vad_16k.safetensors, the file VoiceTutor converts. The numpy network is first checked against
  onnxruntime with the ONNX model's own weights (it must agree within 1e-5), so it is the reference's arithmetic.
In silero-vad 6.2.3 the two weight sets differ (only the STFT basis is identical), hence two columns.

Usage: Scripts/golden/silero-vad.py SILERO_VAD_PACKAGE_DIR   (the unpacked silero_vad/ folder of the wheel)
Needs numpy, onnx, onnxruntime and soundfile; see Tests/AudioTests/Golden/README.md for the versions used.
"""
import json
import pathlib
import struct
import sys

import numpy as np
import onnx
import onnxruntime
import soundfile
from onnx import numpy_helper

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "Tests/AudioTests/Golden"
WINDOW = 512
CONTEXT = 64
RATE = 16000
NAMES = ["stft_conv.weight", "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight",
         "conv3.bias", "conv4.weight", "conv4.bias", "lstm_cell.weight_ih", "lstm_cell.weight_hh",
         "lstm_cell.bias_ih", "lstm_cell.bias_hh", "final_conv.weight", "final_conv.bias"]


def noise_clip(path):
    """3 s: digital silence, quiet white noise, louder white noise, a 440 Hz tone in noise; written as 16-bit FLAC."""
    rng = np.random.default_rng(20261122)
    silence = np.zeros(RATE // 2)
    quiet = rng.uniform(-0.02, 0.02, RATE // 2)
    loud = rng.uniform(-0.3, 0.3, RATE)
    t = np.arange(RATE) / RATE
    tone = 0.3 * np.sin(2 * np.pi * 440 * t) + rng.uniform(-0.05, 0.05, RATE)
    clip = np.concatenate([silence, quiet, loud, tone])
    soundfile.write(str(path), np.round(clip * 32767).astype(np.int16), RATE, subtype="PCM_16", format="FLAC")


def windows(audio):
    """The package's windows: (start sample, 576 samples = 64 context + 512)."""
    context = np.zeros(CONTEXT, dtype=np.float32)
    for start in range(0, len(audio), WINDOW):
        chunk = audio[start:start + WINDOW]
        chunk = np.pad(chunk, (0, WINDOW - len(chunk))).astype(np.float32)
        x = np.concatenate([context, chunk])
        context = x[-CONTEXT:]
        yield start, x


def onnx_probabilities(session, audio):
    state = np.zeros((2, 1, 128), dtype=np.float32)
    out = []
    for _, x in windows(audio):
        prob, state = session.run(None, {"input": x[None], "state": state, "sr": np.array(RATE, dtype=np.int64)})
        out.append(float(prob[0, 0]))
    return np.array(out)


def conv1d(x, weight, bias, stride, padding):
    """x (in, time), weight (out, in, kernel) -> (out, time'), zero padding both sides."""
    x = np.pad(x, ((0, 0), (padding, padding)))
    kernel = weight.shape[2]
    steps = (x.shape[1] - kernel) // stride + 1
    y = np.stack([np.einsum("oik,ik->o", weight, x[:, t * stride:t * stride + kernel]) for t in range(steps)], 1)
    return y if bias is None else y + bias[:, None]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numpy_probabilities(w, audio):
    """The network of tinygrad_model.py, in float64 for a clean reference."""
    w = {k: v.astype(np.float64) for k, v in w.items()}
    h = np.zeros(128)
    c = np.zeros(128)
    out = []
    for _, x in windows(audio):
        x = np.concatenate([x, x[-CONTEXT - 1:-1][::-1]]).astype(np.float64)  # reflect-pad 64 on the right
        spectrum = conv1d(x[None], w["stft_conv.weight"], None, 128, 0)  # (258, 4)
        y = np.sqrt(spectrum[:129] ** 2 + spectrum[129:] ** 2)
        y = np.maximum(conv1d(y, w["conv1.weight"], w["conv1.bias"], 1, 1), 0)
        y = np.maximum(conv1d(y, w["conv2.weight"], w["conv2.bias"], 2, 1), 0)
        y = np.maximum(conv1d(y, w["conv3.weight"], w["conv3.bias"], 2, 1), 0)
        y = np.maximum(conv1d(y, w["conv4.weight"], w["conv4.bias"], 1, 1), 0)[:, 0]
        gates = w["lstm_cell.weight_ih"] @ y + w["lstm_cell.bias_ih"] + w["lstm_cell.weight_hh"] @ h \
            + w["lstm_cell.bias_hh"]
        i, f, g, o = sigmoid(gates[:128]), sigmoid(gates[128:256]), np.tanh(gates[256:384]), sigmoid(gates[384:])
        c = f * c + i * g
        h = o * np.tanh(c)
        logit = w["final_conv.weight"][0, :, 0] @ np.maximum(h, 0) + w["final_conv.bias"][0]
        out.append(float(sigmoid(logit)))
    return np.array(out)


def safetensors_weights(path):
    data = path.read_bytes()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    weights = {}
    for name in NAMES:
        entry = header[name]
        begin, end = entry["data_offsets"]
        weights[name] = np.frombuffer(data[8 + length + begin:8 + length + end], dtype="<f4").reshape(entry["shape"])
    return weights


def onnx_weights(path):
    """The 16 kHz model's initializers of silero_vad_16k_op15.onnx, in file order, under the safetensors names."""
    initializers = onnx.load(str(path)).graph.initializer
    assert len(initializers) == len(NAMES), f"{path}: {len(initializers)} initializers, expected {len(NAMES)}"
    return {name: numpy_helper.to_array(init) for name, init in zip(NAMES, initializers)}


def main():
    package = pathlib.Path(sys.argv[1])
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(package / "data/silero_vad.onnx"), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    noise_clip(GOLDEN / "noise-and-silence.flac")
    safetensors = safetensors_weights(package / "data/silero_vad_16k.safetensors")
    onnx_own = onnx_weights(package / "data/silero_vad_16k_op15.onnx")
    clips = {
        "silero-sky-blue-en-us-160.tsv": ROOT / "Samples/sky-blue-en-us-160.flac",
        "silero-sky-blue-sw-150.tsv": ROOT / "Samples/sky-blue-sw-150.flac",
        "silero-noise-and-silence.tsv": GOLDEN / "noise-and-silence.flac",
    }
    for name, clip in clips.items():
        audio, rate = soundfile.read(str(clip), dtype="float32")
        assert rate == RATE and audio.ndim == 1, f"{clip}: expected 16 kHz mono, found {rate} Hz, shape {audio.shape}"
        reference = onnx_probabilities(session, audio)
        check = np.abs(numpy_probabilities(onnx_own, audio) - reference).max()
        assert check < 1e-5, f"{clip}: numpy network with the ONNX weights is {check} from onnxruntime"
        ours = numpy_probabilities(safetensors, audio)
        with open(GOLDEN / name, "w") as f:
            f.write(f"# {clip.relative_to(ROOT)}: made by Scripts/golden/silero-vad.py; see README.md\n")
            f.write("start_sample\tsafetensors\tonnx\n")
            for index, (p, q) in enumerate(zip(ours, reference)):
                f.write(f"{index * WINDOW}\t{p:.6f}\t{q:.6f}\n")
        decisions = np.mean((ours > 0.5) == (reference > 0.5))
        print(f"{name}: {len(ours)} windows; numpy vs onnxruntime (ONNX weights) max {check:.1e}; "
              f"safetensors vs ONNX max {np.abs(ours - reference).max():.3f}, same decision at 0.5 in "
              f"{decisions:.1%} of windows")


if __name__ == "__main__":
    main()
