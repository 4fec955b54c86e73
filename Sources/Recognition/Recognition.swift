// Recognition: speech to text with Whisper, in Swift.
//
// So far: the CTranslate2-to-GGUF converter, the validated model loader, Whisper's log-mel front end and its
// tokenizer; the encoder, decoder and decoding come next (they need the shared Kernels target).
//
// ```swift
// import Recognition
//
// let model = try WhisperModel(path: cache.appendingPathComponent("models/whisper-base.gguf").path)
// let mel = LogMelFrontEnd(filters: model.melFilters).spectrogram(of: samples)  // 16 kHz mono, no 30 s padding
// let prompt = try model.tokenizer.decoderPrompt(language: "sw", timestamps: false)  // [sot, sw, transcribe, ...]
// let text = model.tokenizer.decode(ids)                                      // ids from the decoder
// ```
//
// Thread safety: models, tokenizers, front ends and FFT plans are immutable values and may be shared between
// threads; the work buffers live inside each call.
