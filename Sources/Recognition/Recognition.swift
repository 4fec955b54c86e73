// Recognition: speech to text with Whisper, in Swift.
//
// The CTranslate2-to-GGUF converter, the validated model loader, Whisper's log-mel front end and tokenizer, the
// encoder (run over only the audio present), the decoder with self- and cross-attention caches, and decoding: greedy
// or beam search, Whisper's suppression rules, language detection (optionally among a few languages), an initial
// prompt, the no-speech and repetition guards and an opt-in temperature fallback; and forced-decoding scores of
// known phrasings. The matrix products come from Kernels (F16 weights, OpenBLAS sgemm for the batched ones).
// Not yet: timestamps, 30-second windows over long recordings, SRT/VTT, the compression-ratio guard.
//
// ```swift
// import Recognition
//
// let model = try WhisperModel(path: cache.appendingPathComponent("models/whisper-base.gguf").path)
// let recognizer = try WhisperRecognizer(model: model)
// let result = try recognizer.transcribe(samples)                   // 16 kHz mono, one utterance up to 30 s
// print(result.text, result.language, result.languageProbability)   // "Why is the sky blue?" en 0.88
// let options = TranscriptionOptions(language: "sw", initialPrompt: "nguvu, mwanga, sumaku")
// let swahili = try recognizer.transcribe(samples, options: options)
// let scores = try recognizer.scorePhrases(samples, candidates: ["Sumaku inavutaje misumari?"], language: "sw")
// ```
//
// Thread safety: models, tokenizers, front ends, FFT plans and recognizers are immutable values and may be shared
// between threads; the work buffers (the decoder's caches included) live inside each call.
