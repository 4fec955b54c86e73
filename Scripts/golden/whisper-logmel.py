#!/usr/bin/env python3
"""Golden values for VoiceTutor's Whisper log-mel front end (Tests/RecognitionTests/Golden/whisper-logmel.tsv).

numpy only, written from the published definition rather than by calling openai-whisper, torch or librosa:

  - openai-whisper audio.py: 16 kHz; torch.stft(audio, 400, 160, window=torch.hann_window(400), center=True,
    pad_mode="reflect"); magnitudes = stft[..., :-1].abs() ** 2 (the last frame dropped); mel = filters @ magnitudes;
    log_spec = log10(clamp(mel, min=1e-10)); log_spec = maximum(log_spec, log_spec.max() - 8.0); (log_spec + 4) / 4.
  - torch.hann_window(400) is periodic: 0.5 - 0.5 cos(2 pi n / 400).
  - The filters are librosa.filters.mel(sr=16000, n_fft=400, n_mels=80) (whisper's mel_filters.npz): htk=False
    (Slaney mel scale: linear 200/3 Hz per mel below 1 kHz, log step ln(6.4)/27 above) and norm="slaney" (each
    triangle scaled by 2 / (upper edge - lower edge)).

Everything is computed in float64 (whisper computes in float32; the difference is far below the 1e-4 tolerance).

The test signal is defined by formula so no audio file is needed (the Swift test builds the same one):
  n = 0 ..< 24000 (1.5 s at 16 kHz), t = n / 16000
  x = 0.4 sin(2 pi 440 t) + 0.3 sin(2 pi (100 t + 2300 t^2))   (a tone plus a chirp from 100 Hz to 7000 Hz)
  x = 0 for n >= 20000 (the last 0.25 s is silence, so the 80 dB floor is exercised)
  rounded to float32, as a recording would be.

Run:  python3 Scripts/golden/whisper-logmel.py > Tests/RecognitionTests/Golden/whisper-logmel.tsv
"""
import sys

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400
HOP = 160
N_MELS = 80


def test_signal():
    n = np.arange(24000, dtype=np.float64)
    t = n / SAMPLE_RATE
    x = 0.4 * np.sin(2 * np.pi * 440 * t) + 0.3 * np.sin(2 * np.pi * (100 * t + 2300 * t * t))
    x[20000:] = 0
    return x.astype(np.float32)


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-30) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters():
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    mel_edges = np.linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2)
    hz_edges = mel_to_hz(mel_edges)
    weights = np.zeros((N_MELS, 1 + N_FFT // 2))
    for m in range(N_MELS):
        lower = (fft_freqs - hz_edges[m]) / (hz_edges[m + 1] - hz_edges[m])
        upper = (hz_edges[m + 2] - fft_freqs) / (hz_edges[m + 2] - hz_edges[m + 1])
        weights[m] = np.maximum(0, np.minimum(lower, upper)) * (2.0 / (hz_edges[m + 2] - hz_edges[m]))
    return weights


def log_mel(audio, filters):
    x = audio.astype(np.float64)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    padded = np.pad(x, N_FFT // 2, mode="reflect")
    frame_count = 1 + (len(padded) - N_FFT) // HOP
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] * window for i in range(frame_count)])
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2  # (frames, 201)
    power = power[:-1]  # whisper drops the last frame
    mel = filters @ power.T  # (80, frames)
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


def main():
    out = sys.stdout
    filters = mel_filters()
    audio = test_signal()
    out.write("# Golden values for the Whisper log-mel front end, written by Scripts/golden/whisper-logmel.py (numpy "
              + np.__version__ + ").\n")
    out.write("# filter <mel> <201 weights>: rows of the 80 x 201 Slaney filter bank; filtersum: sum of all weights.\n")
    out.write("# For each mode: stats <mode> <frames> <min> <max> <mean>, then frame <mode> <index> <80 values>.\n")
    out.write("# Modes: audio = the 24,000-sample test signal only; window30s = zero-padded to 480,000 samples.\n")
    for m in [0, 1, 10, 40, 79]:
        out.write("filter\t%d\t%s\n" % (m, "\t".join("%.9e" % v for v in filters[m])))
    out.write("filtersum\t%.9e\n" % filters.sum())
    signal_sum = float(np.sum(audio.astype(np.float64)))
    out.write("signalsum\t%.9e\n" % signal_sum)
    modes = [("audio", audio, [0, 1, 50, 100, 124, 125, 149]),
             ("window30s", np.concatenate([audio, np.zeros(480000 - len(audio), np.float32)]),
              [0, 100, 149, 150, 151, 2999])]
    for name, signal, picks in modes:
        spec = log_mel(signal, filters)
        out.write("stats\t%s\t%d\t%.7f\t%.7f\t%.7f\n" % (name, spec.shape[1], spec.min(), spec.max(), spec.mean()))
        for t in picks:
            out.write("frame\t%s\t%d\t%s\n" % (name, t, "\t".join("%.7f" % v for v in spec[:, t])))


if __name__ == "__main__":
    main()
